# undersigned on Debian 12: the same two commands as on a workstation.
FROM debian:12

ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        make ca-certificates && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/undersigned
COPY . .
RUN scripts/deps.sh && make all && rm -rf /var/lib/apt/lists/*

ENV PORT=8080
EXPOSE 8080
VOLUME ["/srv/undersigned/var"]
CMD ["make", "run"]
