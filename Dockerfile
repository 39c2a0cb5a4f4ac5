# undersigned in a container: Debian 12, two stages.  The build stage runs
# the same scripts as a workstation (scripts/deps.sh, make install); the
# runtime stage gets only the packages serving needs and the installed
# files, and runs as an unprivileged user.  Configuration comes only from
# the environment; PostgreSQL is outside (DATABASE_URL).  compose.yaml
# runs it with PostgreSQL, nginx and a mail catcher (docs/deploy.md).
# tests/deploy/test_container.py runs every command below on a Debian 12
# machine without a container engine.

FROM debian:12 AS build
ARG STAGE=/stage
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
COPY scripts/deps.sh scripts/deps.sh
RUN scripts/deps.sh build && rm -rf /var/lib/apt/lists/*
COPY . .
RUN make -j2 server && make install DESTDIR=$STAGE PREFIX=/usr SYSCONFDIR=/etc STATEDIR=/var/lib/undersigned RUNDIR=/run/undersigned
RUN install -m 755 conf/container/entrypoint.sh $STAGE/usr/bin/undersigned-entrypoint

FROM debian:12 AS runtime
ARG STAGE=/stage
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/deps.sh /usr/local/sbin/undersigned-deps
RUN /usr/local/sbin/undersigned-deps runtime && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/undersigned --shell /usr/sbin/nologin undersigned
COPY --from=build $STAGE/ /
RUN install -d -o undersigned -g undersigned -m 750 /var/lib/undersigned/var/cache/renders /var/lib/undersigned/var/mail /var/lib/undersigned/var/run /run/undersigned

# Inside a container Kore does not chroot or change user (-n -r): the
# whole process tree already runs as "undersigned", with no root to drop.
# It listens on loopback; nginx shares the network namespace (compose).
ENV UNDERSIGNED_HOME=/usr/share/undersigned \
    UNDERSIGNED_PLUGIN_DIR=/usr/lib/undersigned/plugins \
    UNDERSIGNED_LISTEN=127.0.0.1 \
    PORT=8080
USER undersigned
WORKDIR /usr/share/undersigned
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null || exit 1
ENTRYPOINT ["/usr/bin/undersigned-entrypoint"]
CMD ["kore", "-c", "/etc/undersigned/kore.conf", "-f", "-n", "-r"]
