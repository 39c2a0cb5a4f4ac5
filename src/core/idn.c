#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "idn.h"

/*
 * Appends the A-label form of a domain in any script.  Non-transitional
 * UTS #46 processing maps capitals to small letters and folds width, as
 * browsers do, so "ПРАВОЗАЩИТА.РФ" and "правозащита.рф" are one name;
 * whatever IDNA 2008 disallows (symbols, broken A-labels) is refused.
 */
int
us_idn_to_ascii(struct us_buf *b, const char *domain)
{
	char	*out = NULL;
	int	 rc;

	if (domain == NULL || *domain == '\0' || strlen(domain) > 4 *
	    US_IDN_MAX)
		return (US_FAIL);
	rc = idn2_lookup_u8((const uint8_t *)domain, (uint8_t **)&out,
	    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		free(out);
		return (US_FAIL);
	}
	if (strlen(out) > US_IDN_MAX) {
		idn2_free(out);
		return (US_FAIL);
	}
	us_buf_puts(b, out);
	idn2_free(out);
	return (US_OK);
}

/*
 * Appends the Unicode form of a domain given in either form, by way of
 * its A-labels, so that it is checked and canonical whichever came in.
 */
int
us_idn_to_unicode(struct us_buf *b, const char *domain)
{
	struct us_buf	 ascii;
	char		*out = NULL;
	int		 rc;

	us_buf_init(&ascii);
	if (us_idn_to_ascii(&ascii, domain) != US_OK) {
		us_buf_free(&ascii);
		return (US_FAIL);
	}
	rc = idn2_to_unicode_8z8z(ascii.data, &out, 0);
	us_buf_free(&ascii);
	if (rc != IDN2_OK) {
		free(out);
		return (US_FAIL);
	}
	us_buf_puts(b, out);
	idn2_free(out);
	return (US_OK);
}

/*
 * Appends an address as SMTP must carry it without SMTPUTF8: the local
 * part as it is, the domain in A-labels.
 */
int
us_idn_email_ascii(struct us_buf *b, const char *email)
{
	const char	*at;
	size_t		 len = b->len;

	if (email == NULL || (at = strrchr(email, '@')) == NULL ||
	    at == email)
		return (US_FAIL);
	us_buf_append(b, email, (size_t)(at - email + 1));
	if (us_idn_to_ascii(b, at + 1) != US_OK) {
		b->len = len;
		if (b->data != NULL)
			b->data[len] = '\0';
		return (US_FAIL);
	}
	return (US_OK);
}
