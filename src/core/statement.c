#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "statement.h"
#include "token.h"
#include "validate.h"

const char *const us_stmt_kinds[] = {
	"joint_statement", "open_letter", "urgent_action", NULL
};

static const struct us_rule stmt_rules[] = {
	{ "slug", "Slug", US_RULE_REQUIRED, 80, us_check_slug, NULL },
	{ "kind", "Kind", US_RULE_REQUIRED, 32, us_check_choice,
	    us_stmt_kinds },
	{ "lang", "Language", US_RULE_REQUIRED, 35, us_check_lang, NULL },
	{ "title", "Title", US_RULE_REQUIRED, 300, NULL, NULL },
	{ "body_markdown", "Text", US_RULE_REQUIRED | US_RULE_MULTILINE,
	    200000, NULL, NULL },
	{ "place", "Place", 0, 200, NULL, NULL },
	{ "date", "Date", 0, 10, us_check_date, NULL },
	{ "reference", "Reference", 0, 100, NULL, NULL },
	{ "expires_on", "Expiry date", 0, 10, us_check_date, NULL },
	{ "signing_deadline", "Signing deadline", 0, 40, us_check_timestamp,
	    NULL },
	{ "require_approval", "Approval required", 0, 5, us_check_bool,
	    NULL },
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
};

#define NRULES(r)	(sizeof(r) / sizeof((r)[0]))

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

int
us_stmt_parse(const json_t *body, struct us_stmt_input *in,
    struct us_errlist *errs)
{
	struct us_fields	 raw;
	struct us_error		 e;
	json_t			*list, *a;
	size_t			 i, before;

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

	list = json_object_get(body, "addressees");
	if (list != NULL && !json_is_null(list)) {
		if (!json_is_array(list) ||
		    json_array_size(list) > US_STMT_ADDRESSEES_MAX) {
			us_error_set(us_errlist_add(errs), US_E_INVALID,
			    "addressees", "invalid_addressees", "Addressees "
			    "must be a list of at most %d objects with name, "
			    "title, address, email and phone.",
			    US_STMT_ADDRESSEES_MAX);
		} else {
			in->addr = us_calloc(json_array_size(list),
			    sizeof(*in->addr));
			json_array_foreach(list, i, a) {
				us_fields_init(&in->addr[i].f);
				in->naddr++;
				us_fields_init(&raw);
				before = errs->n;
				if (!us_fields_from_json(&raw, a, &e)) {
					us_error_set(us_errlist_add(errs),
					    US_E_INVALID, "addressees",
					    "invalid_addressees", "Addressee "
					    "%zu must be an object.", i + 1);
				} else
					(void)us_validate(addressee_rules,
					    NRULES(addressee_rules), &raw,
					    &in->addr[i].f, errs);
				us_fields_free(&raw);
				/* Name the list, not a field of one item. */
				for (; before < errs->n; before++)
					(void)snprintf(errs->v[before].field,
					    sizeof(errs->v[before].field),
					    "addressees");
			}
		}
	}
	if (errs->n > 0)
		return (US_FAIL);

	in->body_html = us_md_html(us_fields_get(&in->f, "body_markdown"));
	us_stmt_digest(us_fields_get(&in->f, "lang"),
	    us_fields_get(&in->f, "title"),
	    us_fields_get(&in->f, "body_markdown"), in->digest);
	return (US_OK);
}

void
us_stmt_input_free(struct us_stmt_input *in)
{
	size_t	i;

	us_fields_free(&in->f);
	for (i = 0; i < in->naddr; i++)
		us_fields_free(&in->addr[i].f);
	free(in->addr);
	free(in->body_html);
	memset(in, 0, sizeof(*in));
}

int
us_stmt_valid_status(const char *s)
{
	return (strcmp(s, "draft") == 0 || strcmp(s, "open") == 0 ||
	    strcmp(s, "closed") == 0 || strcmp(s, "published") == 0);
}

/*
 * draft -> open -> closed -> published, and closed -> open to extend
 * signing.  Setting the current status again is allowed and changes
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
	    "order is draft, open, closed, published (closed may reopen).",
	    from, to));
}
