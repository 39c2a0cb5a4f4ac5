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
#include "core/tpl.h"

#define US_MAIL_MAX_ATTEMPTS	25

int	us_mail_render(const struct us_config *, const struct us_tpls *,
	    json_t *, struct us_buf *, char [US_MIME_MSGID_MAX],
	    struct us_error *);

/*
 * SMTP connections kept open across messages, several messages under
 * way at once (smtp.c).  done reports each message's end: err NULL when
 * the relay accepted it.
 */
#define US_SMTP_MAX_CONNECTIONS	16
struct us_smtp;
typedef void	(*us_smtp_done)(void *, long long, const char *,
		    const struct us_error *);

struct us_smtp	*us_mail_smtp_open(const char *, const char *, int,
		    struct us_error *);
int		 us_mail_smtp_send(struct us_smtp *, long long, const char *,
		    const char *, struct us_buf *, us_smtp_done, void *,
		    struct us_error *);
int		 us_mail_smtp_flush(struct us_smtp *, us_smtp_done, void *);
int		 us_mail_smtp_active(const struct us_smtp *);
int		 us_mail_smtp_idle(struct us_smtp *);
void		 us_mail_smtp_close(struct us_smtp *);
int	us_mail_spool(const char *, long long, const struct us_buf *,
	    char *, size_t, struct us_error *);
int	us_mail_backoff(const struct us_config *, int);
int	us_mail_run(const struct us_config *, const struct us_tpls *, int);

#endif
