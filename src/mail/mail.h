/*
 * us_mail: delivery of the outbox.  The sender claims due messages,
 * renders them from assets/mail, hands them to SMTP (libcurl) or, with no
 * SMTP_URL, writes them to var/mail as .eml files, and records the outcome with a
 * backoff for failures.  It runs as its own process (bin/undersigned
 * mailer), never on a request path.
 */
#ifndef US_MAIL_H
#define US_MAIL_H

#include <jansson.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/mime.h"
#include "core/relay.h"
#include "core/tpl.h"

#define US_MAIL_MAX_ATTEMPTS	25

int	us_mail_render(const struct us_config *, const struct us_tpls *,
	    json_t *, struct us_buf *, char [US_MIME_MSGID_MAX],
	    struct us_error *);

/* One SMTP connection, kept open across messages (smtp.c). */
struct us_smtp {
	void			*curl;		/* CURL *, NULL: not connected */
	const char		*url;
	char			 env[300];	/* <MAIL FROM address> */
	enum us_relay_tls	 tls;
	int			 sent;		/* on this connection */
};

int	us_mail_smtp_open(struct us_smtp *, const char *, const char *,
	    struct us_error *);
int	us_mail_smtp_send(struct us_smtp *, const char *, const struct us_buf *,
	    struct us_error *);
void	us_mail_smtp_close(struct us_smtp *);
int	us_mail_spool(const char *, long long, const struct us_buf *,
	    char *, size_t, struct us_error *);
int	us_mail_backoff(const struct us_config *, int);
int	us_mail_run(const struct us_config *, const struct us_tpls *, int);

#endif
