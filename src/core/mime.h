/*
 * us_mime: builds an RFC 5322 / MIME message: multipart/alternative with
 * a UTF-8 text part and an HTML part, RFC 2047 encoded subject and names,
 * Date and Message-ID, CRLF line ends, and optionally a Reply-To and one
 * attached file (the whole then multipart/mixed).  Parts go out as 8bit so links
 * stay intact on one line, and fall back to quoted-printable when a line
 * would break SMTP's 998-octet limit.
 */
#ifndef US_MIME_H
#define US_MIME_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "error.h"

#define US_MIME_MSGID_MAX	128

struct us_mail {
	const char	*from;		/* "Display Name <addr@host>" or addr */
	const char	*from_name;	/* NULL, or the display name to use */
	const char	*to;		/* addr@host */
	const char	*subject;
	const char	*text;
	const char	*html;		/* may be NULL: text only */
	time_t		 date;
	const char	*reply_to;	/* addr@host, or NULL */
	/* One attachment, or attach_b64 NULL: base64, lines of 76 or less. */
	const char	*attach_name;	/* the file name, UTF-8 */
	const char	*attach_type;	/* its MIME type */
	const char	*attach_b64;
};

int	us_mime_build(const struct us_mail *, struct us_buf *,
	    char [US_MIME_MSGID_MAX], struct us_error *);
int	us_mime_address(const char *, char *, size_t);
void	us_mime_phrase(struct us_buf *, const char *, size_t);
void	us_mime_encode_word(struct us_buf *, const char *, size_t, size_t);
void	us_mime_qp(struct us_buf *, const char *);

#endif
