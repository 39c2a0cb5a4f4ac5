#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netaddr.h"

static const unsigned char	v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xff, 0xff };

static void	net_trim(const char **, size_t *);
static void	net_key(const struct us_net *, char *, size_t);

static void
net_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/*
 * "192.0.2.7", "2001:db8::1", "10.0.0.0/8", "fd00::/8".  An IPv4 address
 * written as IPv6 (::ffff:192.0.2.7) is the IPv4 address, so that one
 * client has one key whichever way a proxy spells it.
 */
int
us_net_parse(const char *s, size_t len, struct us_net *n)
{
	char		 buf[US_NET_ADDR_MAX], *slash, *end;
	long		 bits;

	if (len == 0 || len >= sizeof(buf))
		return (US_FAIL);
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(n, 0, sizeof(*n));
	bits = -1;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (*slash < '0' || *slash > '9')
			return (US_FAIL);
		bits = strtol(slash, &end, 10);
		if (*end != '\0' || bits > 128)
			return (US_FAIL);
	}
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = 4;
		n->bits = bits < 0 ? 32 : (int)bits;
		return (n->bits <= 32 ? US_OK : US_FAIL);
	}
	if (inet_pton(AF_INET6, buf, n->addr) != 1)
		return (US_FAIL);
	n->family = 6;
	n->bits = bits < 0 ? 128 : (int)bits;
	if (memcmp(n->addr, v4mapped, sizeof(v4mapped)) == 0 && n->bits >= 96) {
		memmove(n->addr, n->addr + 12, 4);
		memset(n->addr + 4, 0, 12);
		n->family = 4;
		n->bits -= 96;
	}
	return (US_OK);
}

/* Addresses and networks, comma-separated; an empty entry is an error. */
int
us_nets_parse(const char *list, struct us_nets *nets, struct us_error *err)
{
	const char	*p, *item;
	size_t		 len;

	memset(nets, 0, sizeof(*nets));
	p = list;
	for (;;) {
		item = p;
		len = strcspn(p, ",");
		p += len;
		net_trim(&item, &len);
		if (nets->n == US_NET_LIST_MAX)
			return (us_error_set(err, US_E_INVALID,
			    "UNDERSIGNED_TRUSTED_PROXIES", "bad_config",
			    "UNDERSIGNED_TRUSTED_PROXIES lists more than %d "
			    "entries; give networks (10.0.0.0/8) instead.",
			    US_NET_LIST_MAX));
		if (!us_net_parse(item, len, &nets->v[nets->n]))
			return (us_error_set(err, US_E_INVALID,
			    "UNDERSIGNED_TRUSTED_PROXIES", "bad_config",
			    "UNDERSIGNED_TRUSTED_PROXIES must be a comma-"
			    "separated list of addresses or networks such as "
			    "\"127.0.0.1, ::1, 10.0.0.0/8\"; \"%.*s\" is "
			    "neither.", (int)(len > 64 ? 64 : len), item));
		nets->n++;
		if (*p == '\0')
			break;
		p++;
	}
	return (US_OK);
}

int
us_nets_match(const struct us_nets *nets, const struct us_net *a)
{
	const struct us_net	*n;
	size_t			 i;
	int			 whole, rest;

	for (i = 0; i < nets->n; i++) {
		n = &nets->v[i];
		if (n->family != a->family)
			continue;
		whole = n->bits / 8;
		rest = n->bits % 8;
		if (memcmp(n->addr, a->addr, whole) != 0)
			continue;
		if (rest != 0 && ((n->addr[whole] ^ a->addr[whole]) &
		    (0xff << (8 - rest))) != 0)
			continue;
		return (1);
	}
	return (0);
}

/*
 * The key limits count under: an IPv4 address, or an IPv6 /64 (one
 * household or server gets a whole /64, so counting single IPv6
 * addresses would let anyone walk around every limit).
 */
static void
net_key(const struct us_net *n, char *out, size_t outlen)
{
	unsigned char	a[16];
	char		buf[INET6_ADDRSTRLEN];

	if (n->family == 4) {
		if (inet_ntop(AF_INET, n->addr, buf, sizeof(buf)) == NULL)
			buf[0] = '\0';
		(void)snprintf(out, outlen, "%s", buf);
		return;
	}
	memcpy(a, n->addr, 8);
	memset(a + 8, 0, 8);
	if (inet_ntop(AF_INET6, a, buf, sizeof(buf)) == NULL)
		buf[0] = '\0';
	(void)snprintf(out, outlen, "%s/64", buf);
}

/*
 * Who is asking.  The peer is the client unless it is a trusted proxy;
 * then X-Forwarded-For is read from the right (each proxy appends the
 * address it saw) for as long as the hop that appended an address is
 * trusted.  The first address not written by a trusted proxy is the
 * client: anything to its left is whatever the client chose to send.
 * An entry that is not an address ends the walk.
 */
int
us_net_client(const struct us_nets *trusted, const char *peer,
    const char *xff, char *out, size_t outlen)
{
	struct us_net	 cur, hop;
	const char	*item;
	size_t		 end, start, len;

	if (!us_net_parse(peer, strlen(peer), &cur)) {
		(void)snprintf(out, outlen, "%s", peer);
		return (US_FAIL);
	}
	end = xff != NULL ? strlen(xff) : 0;
	while (end > 0 && us_nets_match(trusted, &cur)) {
		start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		item = xff + start;
		len = end - start;
		net_trim(&item, &len);
		if (!us_net_parse(item, len, &hop) || hop.bits !=
		    (hop.family == 4 ? 32 : 128))
			break;
		cur = hop;
		end = start > 0 ? start - 1 : 0;
	}
	net_key(&cur, out, outlen);
	return (US_OK);
}

/*
 * Whether an SMTP host is this machine: "localhost", 127.0.0.0/8 or ::1
 * (bracketed in a URL).  Names are not resolved: a name that resolves
 * to loopback today may not tomorrow.
 */
int
us_net_host_is_loopback(const char *host, size_t len)
{
	struct us_net	n;

	if ((len == 9 && strncasecmp(host, "localhost", 9) == 0) ||
	    (len == 10 && strncasecmp(host, "localhost.", 10) == 0))
		return (1);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	}
	if (memchr(host, '/', len) != NULL || !us_net_parse(host, len, &n))
		return (0);
	if (n.family == 4)
		return (n.addr[0] == 127);
	return (memcmp(n.addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0);
}
