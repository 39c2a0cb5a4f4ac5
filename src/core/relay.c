#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "netaddr.h"
#include "relay.h"

/*
 * Decides from SMTP_URL (smtp[s]://[user[:password]@]host[:port][/...])
 * whether TLS is required.  US_FAIL when the URL cannot be read, so a
 * relay we do not understand is never talked to in clear.
 */
int
us_relay_tls(const char *url, enum us_relay_tls *tls)
{
	const char	*auth, *host, *at, *p;
	size_t		 alen, hlen;
	int		 login;

	if (strncasecmp(url, "smtps://", 8) == 0) {
		*tls = US_RELAY_IMPLICIT;
		return (US_OK);
	}
	if (strncasecmp(url, "smtp://", 7) != 0)
		return (US_FAIL);
	auth = url + 7;
	alen = strcspn(auth, "/?#");
	login = 0;
	host = auth;
	for (p = auth; p < auth + alen; p++) {
		if (*p == '@') {
			login = 1;
			host = p + 1;
		}
	}
	at = auth + alen;
	if (host < at && *host == '[') {
		if ((p = memchr(host, ']', at - host)) == NULL)
			return (US_FAIL);
		hlen = p - host + 1;
	} else {
		p = memchr(host, ':', at - host);
		hlen = (p != NULL ? p : at) - host;
	}
	if (hlen == 0)
		return (US_FAIL);
	*tls = !login && us_net_host_is_loopback(host, hlen) ?
	    US_RELAY_PLAIN_OK : US_RELAY_STARTTLS;
	return (US_OK);
}

/* SMTP_URL for logs: a password in it is replaced by "***". */
void
us_relay_redact(const char *url, char *out, size_t len)
{
	const char	*auth, *at, *p;
	size_t		 alen;

	auth = strstr(url, "://");
	auth = auth != NULL ? auth + 3 : url;
	alen = strcspn(auth, "/?#");
	at = NULL;
	for (p = auth; p < auth + alen; p++) {
		if (*p == '@')
			at = p;
	}
	if (at == NULL) {
		(void)snprintf(out, len, "%s", url);
		return;
	}
	(void)snprintf(out, len, "%.*s***%s", (int)(auth - url), url, at);
}
