/*
 * us_relay: how the mail sender must talk to its SMTP relay.  Sign-in
 * and confirmation links are bearer secrets and the relay's password is
 * one too: they cross a network only inside TLS.  Plain SMTP is allowed
 * to this machine only, and never with a password.
 */
#ifndef US_RELAY_H
#define US_RELAY_H

#include <stddef.h>

enum us_relay_tls {
	US_RELAY_PLAIN_OK,	/* loopback, no login: STARTTLS if offered */
	US_RELAY_STARTTLS,	/* smtp://: STARTTLS or no mail at all */
	US_RELAY_IMPLICIT	/* smtps://: TLS from the first byte */
};

int	us_relay_tls(const char *, enum us_relay_tls *);
void	us_relay_redact(const char *, char *, size_t);

#endif
