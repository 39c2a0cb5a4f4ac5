#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "i18n.h"
#include "validate.h"

/* What each channel is called, for people (translated where shown). */
static const char *const channel_labels[] = {
	US_N_("Letter"), US_N_("Email"), US_N_("Fax"), US_N_("Phone call"),
	US_N_("Social media post"), NULL
};

static int	check_index(const struct us_rule *, char **, struct us_error *);

const char *const us_action_channels[] = {
	"letter", "email", "fax", "phone", "social", NULL
};

/*
 * No name: a report only counts, and the address is there to confirm
 * it.  The addressee is an index into the statement's list (checked
 * against the list in db/actions.c); absent means "all of them" or
 * "not one in particular".
 */
static const struct us_rule action_rules[] = {
	{ "channel", "Channel", US_RULE_REQUIRED, 10, us_check_choice,
	    us_action_channels },
	{ "addressee", "Addressee", 0, 4, check_index, NULL },
	{ "country", "Country", 0, 100, us_check_country, NULL },
	{ "email", "Email", US_RULE_REQUIRED, 254, us_check_email, NULL },
	{ "lang", "Language", 0, 35, us_check_lang, NULL },
};

/* A form sends "" for "any addressee"; that is no addressee at all. */
static int
check_index(const struct us_rule *r, char **v, struct us_error *e)
{
	const char	*s;

	for (s = *v; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return (us_error_set(e, US_E_INVALID, r->name,
			    "invalid_addressee", "%s must be the number of an "
			    "addressee in the statement's list (0 for the "
			    "first), or null.", r->label));
	return (US_OK);
}

int
us_action_validate(const struct us_fields *in, struct us_fields *out,
    struct us_errlist *errs)
{
	return (us_validate(action_rules, sizeof(action_rules) /
	    sizeof(action_rules[0]), in, out, errs));
}

/* The English name of a channel, the msgid of its translations. */
const char *
us_action_channel_label(const char *channel)
{
	size_t	i;

	for (i = 0; us_action_channels[i] != NULL; i++)
		if (channel != NULL && strcmp(channel, us_action_channels[i]) == 0)
			return (channel_labels[i]);
	return (NULL);
}

/*
 * An action needed "until 10 December" can be taken all of that day
 * where it was issued: it has expired when the statement's zone's date
 * today ("YYYY-MM-DD") is later than expires_on.  ISO dates compare as
 * strings.  No expiry date: never.
 */
int
us_action_expired(const char *expires_on, const char *today)
{
	if (expires_on == NULL || *expires_on == '\0' || today == NULL)
		return (0);
	return (strcmp(today, expires_on) > 0);
}

/*
 * A count as people read it: "1,204" in English, "1 204" (no-break
 * space) in Russian.
 */
void
us_action_number(struct us_buf *b, const char *lang, unsigned long n)
{
	char		 digits[32];
	const char	*sep;
	size_t		 len, i;

	sep = lang != NULL && strcmp(lang, "ru") == 0 ? "\xc2\xa0" : ",";
	(void)snprintf(digits, sizeof(digits), "%lu", n);
	len = strlen(digits);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			us_buf_puts(b, sep);
		us_buf_putc(b, digits[i]);
	}
}
