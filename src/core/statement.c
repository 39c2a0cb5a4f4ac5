#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "markdown.h"
#include "statement.h"
#include "token.h"
#include "validate.h"

const char *const us_stmt_kinds[] = {
	"joint_statement", "open_letter", "urgent_action", NULL
};

static int	stmt_check_goal(const struct us_rule *, char **,
		    struct us_error *);

static const struct us_rule stmt_rules[] = {
	{ "slug", "Short name", US_RULE_REQUIRED, 80, us_check_slug, NULL },
	{ "kind", "Kind", US_RULE_REQUIRED, 32, us_check_choice,
	    us_stmt_kinds },
	{ "lang", "Language", US_RULE_REQUIRED, 35, us_check_lang, NULL },
	{ "title", "Title", US_RULE_REQUIRED, 300, NULL, NULL },
	{ "body_markdown", "Text", US_RULE_REQUIRED | US_RULE_MULTILINE,
	    US_MD_MAX, NULL, NULL },
	{ "place", "Place", 0, 200, NULL, NULL },
	{ "date", "Date", 0, 10, us_check_date, NULL },
	{ "reference", "Reference", 0, 100, NULL, NULL },
	{ "expires_on", "Expiry date", 0, 10, us_check_date, NULL },
	{ "signing_deadline", "Signing deadline", 0, 40, us_check_timestamp,
	    NULL },
	{ "require_approval", "Approval required", 0, 5, us_check_bool,
	    NULL },
	{ "coordinator_organisation", "Coordinating organisation", 0, 300,
	    NULL, NULL },
	{ "headline", "Headline", 0, 300, NULL, NULL },
	{ "lede", "Lede", US_RULE_MULTILINE, 2000, NULL, NULL },
	{ "notes_to_editors", "Notes to editors", US_RULE_MULTILINE, 20000,
	    NULL, NULL },
	{ "about", "About", US_RULE_MULTILINE, 5000, NULL, NULL },
	{ "embargo_until", "Embargo", 0, 40, us_check_timestamp, NULL },
	{ "embargo_timezone", "Embargo time zone", 0, 64, us_check_timezone,
	    NULL },
	{ "timezone", "Time zone", 0, 64, us_check_timezone, NULL },
	{ "goal", "Signature goal", 0, 12, stmt_check_goal, NULL },
	/* Urgent actions: the letter readers send, the action updated. */
	{ "sample_letter", "Sample letter", US_RULE_MULTILINE, US_MD_MAX,
	    NULL, NULL },
	{ "follows", "Update of", 0, 80, us_check_slug, NULL },
};

static const struct us_rule contact_rules[] = {
	{ "name", "Media contact name", US_RULE_REQUIRED, 200, NULL, NULL },
	{ "organisation", "Media contact organisation", 0, 300, NULL, NULL },
	{ "email", "Media contact email", 0, 254, us_check_email, NULL },
	{ "phone", "Media contact phone", 0, 100, NULL, NULL },
	{ "languages", "Media contact languages", 0, 200, NULL, NULL },
	{ "timezone", "Media contact time zone", 0, 64, NULL, NULL },
};

static const struct us_rule addressee_rules[] = {
	{ "name", "Addressee name", US_RULE_REQUIRED, 300, NULL, NULL },
	{ "title", "Addressee title", 0, 300, NULL, NULL },
	{ "address", "Addressee postal address", US_RULE_MULTILINE, 1000,
	    NULL, NULL },
	{ "email", "Addressee email", 0, 254, us_check_email, NULL },
	{ "phone", "Addressee phone", 0, 100, NULL, NULL },
	{ "fax", "Addressee fax", 0, 100, NULL, NULL },
	{ "social", "Addressee social media", US_RULE_MULTILINE, 500, NULL,
	    NULL },
	{ "salutation", "Addressee salutation", 0, 200, NULL, NULL },
};

#define NRULES(r)	(sizeof(r) / sizeof((r)[0]))

static void	stmt_list(const json_t *, const char *, const char *,
		    const struct us_rule *, size_t, size_t,
		    struct us_fieldlist *, struct us_errlist *);
static void	stmt_list_free(struct us_fieldlist *);

/*
 * A signature goal is a whole number of signatures, at least one; the cap
 * keeps it an int for PostgreSQL and the progress bar.
 */
static int
stmt_check_goal(const struct us_rule *r, char **v, struct us_error *e)
{
	const char	*p;
	long		 n;

	for (p = *v; *p >= '0' && *p <= '9'; p++)
		;
	n = (*p == '\0' && p != *v && p - *v <= 9) ? strtol(*v, NULL, 10) : 0;
	if (n < 1)
		return (us_error_set(e, US_E_INVALID, r->name, "invalid_goal",
		    "%s must be a whole number of signatures, at least 1.",
		    r->label));
	/* "0500" is stored and shown as 500. */
	(void)snprintf(*v, strlen(*v) + 1, "%ld", n);
	return (US_OK);
}

/* What a signer agrees to: the language, the title and the text. */
void
us_stmt_digest(const char *lang, const char *title, const char *body,
    char out[US_DIGEST_HEX])
{
	struct us_buf	b;
	unsigned char	h[US_HASH_LEN];

	us_buf_init(&b);
	us_buf_append(&b, lang, strlen(lang) + 1);
	us_buf_append(&b, title, strlen(title) + 1);
	us_buf_append(&b, body, strlen(body));
	us_sha256(b.data, b.len, h);
	us_hex(h, sizeof(h), out);
	us_buf_free(&b);
}

/*
 * A list member of the input ("addressees", "media_contacts"): each item
 * is validated by its table; errors name the list, not a field of one
 * item, since that is what a form or a client can point at.
 */
static void
stmt_list(const json_t *body, const char *key, const char *what,
    const struct us_rule *rules, size_t nrules, size_t max,
    struct us_fieldlist *out, struct us_errlist *errs)
{
	struct us_fields	 raw;
	struct us_error		 e;
	json_t			*list, *a;
	size_t			 i, before;

	list = json_object_get(body, key);
	if (list == NULL || json_is_null(list))
		return;
	if (!json_is_array(list) || json_array_size(list) > max) {
		us_error_set(us_errlist_add(errs), US_E_INVALID, key,
		    "invalid_list", "%s must be a list of at most %zu objects.",
		    what, max);
		return;
	}
	out->v = us_calloc(json_array_size(list), sizeof(*out->v));
	json_array_foreach(list, i, a) {
		us_fields_init(&out->v[i]);
		out->n++;
		us_fields_init(&raw);
		before = errs->n;
		if (!us_fields_from_json(&raw, a, &e))
			us_error_set(us_errlist_add(errs), US_E_INVALID, key,
			    "invalid_list", "%s: item %zu must be an object.",
			    what, i + 1);
		else
			(void)us_validate(rules, nrules, &raw, &out->v[i], errs);
		us_fields_free(&raw);
		for (; before < errs->n; before++)
			(void)snprintf(errs->v[before].field,
			    sizeof(errs->v[before].field), "%s", key);
	}
}

int
us_stmt_parse(const json_t *body, struct us_stmt_input *in,
    struct us_errlist *errs)
{
	struct us_fields	 raw;
	struct us_error		 e;

	memset(in, 0, sizeof(*in));
	us_fields_init(&in->f);
	us_fields_init(&raw);
	if (!us_fields_from_json(&raw, body, &e)) {
		*us_errlist_add(errs) = e;
		us_fields_free(&raw);
		return (US_FAIL);
	}
	(void)us_validate(stmt_rules, NRULES(stmt_rules), &raw, &in->f, errs);
	us_fields_free(&raw);
	if ((us_fields_get(&in->f, "embargo_until") == NULL) !=
	    (us_fields_get(&in->f, "embargo_timezone") == NULL) &&
	    us_errlist_find(errs, "embargo_timezone") == NULL &&
	    us_errlist_find(errs, "embargo_until") == NULL)
		us_error_set(us_errlist_add(errs), US_E_INVALID,
		    "embargo_timezone", "embargo_incomplete", "An embargo needs "
		    "both embargo_until and embargo_timezone (e.g. "
		    "\"Europe/London\").");
	stmt_list(body, "addressees", "Addressees", addressee_rules,
	    NRULES(addressee_rules), US_STMT_ADDRESSEES_MAX, &in->addressees,
	    errs);
	stmt_list(body, "media_contacts", "Media contacts", contact_rules,
	    NRULES(contact_rules), US_STMT_CONTACTS_MAX, &in->contacts, errs);
	if (us_fields_get(&in->f, "follows") != NULL &&
	    strcmp(us_fields_get(&in->f, "follows"), us_fields_get(&in->f,
	    "slug") != NULL ? us_fields_get(&in->f, "slug") : "") == 0)
		us_error_set(us_errlist_add(errs), US_E_INVALID, "follows",
		    "follows_self", "A statement cannot be an update of itself: "
		    "give the short name (slug) of an earlier one.");
	if (errs->n > 0)
		return (US_FAIL);

	in->body_html = us_md_html(us_fields_get(&in->f, "body_markdown"));
	us_stmt_digest(us_fields_get(&in->f, "lang"),
	    us_fields_get(&in->f, "title"),
	    us_fields_get(&in->f, "body_markdown"), in->digest);
	return (US_OK);
}

static void
stmt_list_free(struct us_fieldlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		us_fields_free(&l->v[i]);
	free(l->v);
}

void
us_stmt_input_free(struct us_stmt_input *in)
{
	us_fields_free(&in->f);
	stmt_list_free(&in->addressees);
	stmt_list_free(&in->contacts);
	free(in->body_html);
	memset(in, 0, sizeof(*in));
}

/*
 * Latin letters for Cyrillic ones, lower case, by code point from U+0430
 * (а) to U+044F (я), then the letters of the region's other Cyrillic
 * alphabets.  Simple and readable over any standard: a slug is an
 * address people type, not a transcription.
 */
static const char *const cyr_lower[] = {
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m",
	"n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh",
	"shch", "", "y", "", "e", "yu", "ya"
};

static const struct {
	unsigned int	 cp;
	const char	*latin;
} cyr_more[] = {
	{ 0x0451, "yo" }, { 0x0454, "ye" }, { 0x0456, "i" }, { 0x0457, "yi" },
	{ 0x0491, "g" }, { 0x0493, "gh" }, { 0x049b, "q" }, { 0x04a3, "ng" },
	{ 0x04af, "u" }, { 0x04b1, "u" }, { 0x04bb, "h" }, { 0x04d9, "a" },
	{ 0x04e9, "o" }, { 0x045e, "u" }, { 0x0453, "g" }, { 0x045c, "k" },
};

static const char *
slug_latin(unsigned int cp)
{
	size_t	i;

	cp = us_text_lower_cp(cp);
	if (cp >= 0x0430 && cp <= 0x044f)
		return (cyr_lower[cp - 0x0430]);
	for (i = 0; i < sizeof(cyr_more) / sizeof(cyr_more[0]); i++)
		if (cyr_more[i].cp == cp)
			return (cyr_more[i].latin);
	return (NULL);
}

/*
 * A short name for the address from a title: letters and digits in
 * lower case, anything else one hyphen, at most size - 1 bytes and
 * never ending in a hyphen.  "statement" when nothing is left.
 */
void
us_stmt_slug_suggest(const char *title, char *out, size_t size)
{
	const unsigned char	*p = (const unsigned char *)title;
	const char		*l;
	char			 one[2];
	size_t			 n = 0, len = strlen(title), k;
	unsigned int		 cp;
	int			 step, gap = 0;

	while (len > 0 && size > 1) {
		if ((step = us_utf8_decode(p, len, &cp)) <= 0)
			step = 1, cp = '?';
		p += step;
		len -= (size_t)step;
		l = NULL;
		if (cp < 0x80 && isalnum((int)cp)) {
			one[0] = (char)tolower((int)cp);
			one[1] = '\0';
			l = one;
		} else
			l = slug_latin(cp);
		if (l == NULL) {
			gap = n > 0;
			continue;
		}
		k = strlen(l);
		if (k == 0)
			continue;
		if (n + (size_t)gap + k > size - 1)
			break;
		if (gap)
			out[n++] = '-';
		gap = 0;
		memcpy(out + n, l, k);
		n += k;
	}
	out[n] = '\0';
	if (n == 0)
		(void)snprintf(out, size, "statement");
}

static int
stmt_key_known(const char *key)
{
	size_t	i;

	for (i = 0; i < NRULES(stmt_rules); i++)
		if (strcmp(stmt_rules[i].name, key) == 0)
			return (1);
	return (strcmp(key, "addressees") == 0 ||
	    strcmp(key, "media_contacts") == 0);
}

/*
 * A partial edit (PATCH): cur, the statement as read, keeps only what
 * the create call takes, and each member of patch replaces its own; null
 * removes an optional one.  "note" belongs to the edit, not the
 * statement, and is skipped.  The slug is the address and stays.
 */
int
us_stmt_patch(json_t *cur, const json_t *patch, struct us_error *err)
{
	const char	*key, *slug;
	json_t		*v, *item;
	void		*tmp;
	size_t		 i;

	if (!json_is_object(patch))
		return (us_error_set(err, US_E_MALFORMED, NULL, "not_an_object",
		    "The request body must be a JSON object."));
	json_object_foreach((json_t *)patch, key, v) {
		if (strcmp(key, "note") == 0)
			continue;
		if (!stmt_key_known(key))
			return (us_error_set(err, US_E_INVALID, key,
			    "unknown_field", "'%s' is not a field of a "
			    "statement.", key));
	}
	slug = json_string_value(json_object_get(patch, "slug"));
	if (json_object_get(patch, "slug") != NULL && (slug == NULL ||
	    strcmp(slug, json_string_value(json_object_get(cur, "slug"))) !=
	    0))
		return (us_error_set(err, US_E_INVALID, "slug", "slug_fixed",
		    "The short name (slug) is the statement's address and "
		    "cannot change."));
	json_object_foreach_safe(cur, tmp, key, v) {
		if (!stmt_key_known(key) || json_is_null(v))
			json_object_del(cur, key);
	}
	json_object_foreach((json_t *)patch, key, v) {
		if (strcmp(key, "note") == 0)
			continue;
		if (json_is_null(v))
			json_object_del(cur, key);
		else
			json_object_set(cur, key, v);
	}
	/* A list as read carries its order; the input is the order. */
	json_array_foreach(json_object_get(cur, "addressees"), i, item)
		if (json_is_object(item))
			json_object_del(item, "position");
	return (US_OK);
}

int
us_stmt_valid_status(const char *s)
{
	return (strcmp(s, "draft") == 0 || strcmp(s, "open") == 0 ||
	    strcmp(s, "closed") == 0 || strcmp(s, "published") == 0);
}

/*
 * draft -> open -> closed -> published, closed -> open to extend
 * signing, and open -> published: publishing closes signing itself, as
 * the workspace's Publish button does.  Setting the current status again is allowed and changes
 * nothing, so scripts can be re-run.
 */
int
us_stmt_transition(const char *from, const char *to, struct us_error *err)
{
	static const struct {
		const char	*from;
		const char	*to;
	} allowed[] = {
		{ "draft", "open" },
		{ "open", "closed" },
		{ "open", "published" },
		{ "closed", "open" },
		{ "closed", "published" },
	};
	size_t	i;

	if (!us_stmt_valid_status(to))
		return (us_error_set(err, US_E_INVALID, "status",
		    "invalid_status", "status must be \"open\", \"closed\" "
		    "or \"published\"."));
	if (strcmp(from, to) == 0)
		return (US_OK);
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (strcmp(allowed[i].from, from) == 0 &&
		    strcmp(allowed[i].to, to) == 0)
			return (US_OK);
	}
	return (us_error_set(err, US_E_CONFLICT, "status",
	    "invalid_transition", "A statement cannot go from %s to %s; the "
	    "order is draft, open, closed, published (closed may reopen; "
	    "open may publish at once).",
	    from, to));
}
