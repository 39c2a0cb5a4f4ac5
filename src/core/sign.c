#include <string.h>

#include "sign.h"
#include "statement.h"
#include "token.h"
#include "validate.h"

static int	check_digest(const struct us_rule *, char **,
		    struct us_error *);

static const char *const visibilities[] = { "named", "counted", NULL };

static const struct us_rule sign_rules[] = {
	{ "organisation", "Organisation name", US_RULE_REQUIRED, 300, NULL,
	    NULL },
	{ "acronym", "Acronym", 0, 40, NULL, NULL },
	{ "country", "Country", 0, 100, us_check_country, NULL },
	{ "website", "Website", 0, 300, us_check_url, NULL },
	{ "contact_name", "Representative's name", US_RULE_REQUIRED, 200,
	    NULL, NULL },
	{ "contact_role", "Representative's role", 0, 200, NULL, NULL },
	{ "email", "Contact email", US_RULE_REQUIRED, 254, us_check_email,
	    NULL },
	{ "comment", "Comment", US_RULE_MULTILINE, 2000, NULL, NULL },
	{ "visibility", "Visibility", 0, 10, us_check_choice, visibilities },
	{ "text_digest", "Text version", 0, 64, check_digest, NULL },
	{ "lang", "Language", 0, 35, us_check_lang, NULL },
};

/*
 * What a coordinator imports (a list collected by email, a spreadsheet):
 * only the name is required; contact data and the country may be
 * missing, and a second country is allowed.
 */
static const struct us_rule import_rules[] = {
	{ "organisation", "Organisation name", US_RULE_REQUIRED, 300, NULL,
	    NULL },
	{ "acronym", "Acronym", 0, 40, NULL, NULL },
	{ "country", "Country", 0, 100, us_check_country, NULL },
	{ "country2", "Second country", 0, 100, us_check_country, NULL },
	{ "website", "Website", 0, 300, us_check_url, NULL },
	{ "contact_name", "Representative's name", 0, 200, NULL, NULL },
	{ "contact_role", "Representative's role", 0, 200, NULL, NULL },
	{ "email", "Contact email", 0, 254, us_check_email, NULL },
	{ "comment", "Comment", US_RULE_MULTILINE, 2000, NULL, NULL },
	{ "visibility", "Visibility", 0, 10, us_check_choice, visibilities },
};

/*
 * How coordinators show an organisation on the list: a name like the
 * organisation's own, so under the same rules.  Empty means the
 * organisation's name as it signed.
 */
static const struct us_rule display_rules[] = {
	{ "display_name", "Display name", 0, 300, NULL, NULL },
};

int
us_sign_validate_display(const struct us_fields *in, struct us_fields *out,
    struct us_errlist *errs)
{
	return (us_validate(display_rules, sizeof(display_rules) /
	    sizeof(display_rules[0]), in, out, errs));
}

int
us_sign_validate_import(const struct us_fields *in, struct us_fields *out,
    struct us_errlist *errs)
{
	return (us_validate(import_rules, sizeof(import_rules) /
	    sizeof(import_rules[0]), in, out, errs));
}

static int
check_digest(const struct us_rule *r, char **v, struct us_error *e)
{
	unsigned char	h[US_HASH_LEN];

	if (!us_unhex(*v, h, sizeof(h)))
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_digest",
		    "%s must be the 64-character digest given with the text.",
		    r->label));
	return (US_OK);
}

static const struct us_rule country2_rule[] = {
	{ "country2", "Second country", 0, 100, us_check_country, NULL },
};

/*
 * A named signature needs its country; an organisation that signs as
 * "counted, not named" may leave it out, since even a country can
 * identify a small organisation.
 */
int
us_sign_validate(const struct us_fields *in, struct us_fields *out,
    struct us_errlist *errs)
{
	struct us_fields	 second;
	const char		*vis, *c1, *c2;

	(void)us_validate(sign_rules, sizeof(sign_rules) /
	    sizeof(sign_rules[0]), in, out, errs);
	if ((vis = us_fields_get(out, "visibility")) == NULL) {
		vis = "named";
		us_fields_set(out, "visibility", vis, strlen(vis));
	}
	/*
	 * An organisation working in two countries names both (as imported
	 * lists do): the second only adds to the first, never repeats it,
	 * and stands in for a first one left empty.
	 */
	us_fields_init(&second);
	(void)us_validate(country2_rule, 1, in, &second, errs);
	if ((c2 = us_fields_get(&second, "country2")) != NULL) {
		if ((c1 = us_fields_get(out, "country")) == NULL)
			us_fields_set(out, "country", c2, strlen(c2));
		else if (strcmp(c1, c2) != 0)
			us_fields_set(out, "country2", c2, strlen(c2));
	}
	us_fields_free(&second);
	if (strcmp(vis, "named") == 0 && us_fields_get(out, "country") == NULL &&
	    us_errlist_find(errs, "country") == NULL)
		us_error_set(us_errlist_add(errs), US_E_INVALID, "country",
		    "required", "Country is required (it may be left out only "
		    "by organisations that sign without being named).");
	return (errs->n == 0 ? US_OK : US_FAIL);
}
