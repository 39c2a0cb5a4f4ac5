/*
 * us_net: client addresses.  Behind a reverse proxy the peer of every
 * connection is the proxy, and the client's address is in
 * X-Forwarded-For, a header anybody can also send.  It is believed only
 * as far back as the hops that wrote it are proxies we trust.
 */
#ifndef US_NETADDR_H
#define US_NETADDR_H

#include <stddef.h>

#include "error.h"

#define US_NET_ADDR_MAX		64	/* an IPv6 address with "/128" */
#define US_NET_LIST_MAX		32	/* trusted proxies */

/* An address or a network (CIDR); an address is a network of all bits. */
struct us_net {
	int		family;		/* 4 or 6 */
	unsigned char	addr[16];
	int		bits;
};

struct us_nets {
	size_t		n;
	struct us_net	v[US_NET_LIST_MAX];
};

int	us_net_parse(const char *, size_t, struct us_net *);
int	us_nets_parse(const char *, struct us_nets *, struct us_error *);
int	us_nets_match(const struct us_nets *, const struct us_net *);
int	us_net_client(const struct us_nets *, const char *, const char *,
	    char *, size_t);
int	us_net_host_is_loopback(const char *, size_t);

#endif
