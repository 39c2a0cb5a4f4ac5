/*
 * The list as JSON for other tools: the fields that identify the
 * statement and say what the list is (status, when it was read, the
 * signed record), the named signatories in display order with every
 * country, and the counts.
 * Every string is escaped here; UTF-8 passes through unchanged.
 */
#include <stddef.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "lists.h"

static void	json_string(struct us_out *, const char *);
static void	json_member(struct us_out *, const char *, const char *,
		    int);

/*
 * Quotes, backslashes and control characters as the grammar requires;
 * U+2028 and U+2029 too, which are valid JSON but end a line in
 * JavaScript, where this document may be pasted.  NULL becomes null.
 */
static void
json_string(struct us_out *o, const char *s)
{
	const unsigned char	*p, *run;

	if (s == NULL) {
		us_out_write(o, "null", 4);
		return;
	}
	us_out_write(o, "\"", 1);
	for (run = p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			us_out_write(o, run, p - run);
			us_out_write(o, "\\", 1);
			us_out_write(o, p, 1);
			run = p + 1;
		} else if (*p < 0x20 || *p == 0x7f) {
			us_out_write(o, run, p - run);
			us_out_printf(o, "\\u%04x", *p);
			run = p + 1;
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			us_out_write(o, run, p - run);
			us_out_puts(o, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			p += 2;
			run = p + 1;
		}
	}
	us_out_write(o, run, p - run);
	us_out_write(o, "\"", 1);
}

/* "name": "value" and a comma unless last; names are our own. */
static void
json_member(struct us_out *o, const char *name, const char *value, int last)
{
	us_out_printf(o, "\"%s\": ", name);
	json_string(o, value);
	if (!last)
		us_out_write(o, ", ", 2);
}

int
lists_json_render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	const struct us_p_signatory	*s;
	struct us_out			 o;
	size_t				 i, k;

	us_out_init(&o, sink, "json");
	us_out_puts(&o, "{\n  \"statement\": {");
	json_member(&o, "slug", st->slug, 0);
	json_member(&o, "kind", st->kind, 0);
	json_member(&o, "lang", st->lang, 0);
	json_member(&o, "title", st->title, 0);
	json_member(&o, "place", st->place, 0);
	json_member(&o, "date", st->date, 0);
	json_member(&o, "reference", st->reference, 0);
	json_member(&o, "url", st->url, 0);
	json_member(&o, "status", st->status, 0);
	json_member(&o, "status_line", st->status_line, 0);
	json_member(&o, "published_at", st->published_at, 0);
	if (st->text_version > 0)
		us_out_printf(&o, "\"version\": %u, ", st->text_version);
	json_member(&o, "list_as_of", st->list_as_of, 0);
	json_member(&o, "text_digest", st->text_digest, 0);
	json_member(&o, "record_digest", st->record_digest, 0);
	json_member(&o, "record_key_id", st->record_key_id, 0);
	json_member(&o, "generated_at", st->generated_at, 1);
	us_out_puts(&o, "},\n  \"signatories\": [");

	/* The first country as before; all of them in "countries". */
	for (i = 0; i < st->nsignatories; i++) {
		s = st->signatories[i];
		us_out_puts(&o, i == 0 ? "\n    {" : ",\n    {");
		us_out_printf(&o, "\"position\": %u, ", s->position);
		json_member(&o, "organisation", s->organisation, 0);
		json_member(&o, "acronym", s->acronym, 0);
		json_member(&o, "country", s->country, 0);
		json_member(&o, "country_name", s->country_name, 0);
		us_out_puts(&o, "\"countries\": [");
		for (k = 0; k < s->ncountries; k++) {
			if (k > 0)
				us_out_write(&o, ", ", 2);
			us_out_puts(&o, "{\"country\": ");
			json_string(&o, s->countries[k]);
			us_out_puts(&o, ", \"country_name\": ");
			json_string(&o, s->country_names[k]);
			us_out_write(&o, "}", 1);
		}
		us_out_puts(&o, "], ");
		json_member(&o, "signed_on", s->signed_on, 1);
		us_out_write(&o, "}", 1);
	}
	if (st->nsignatories > 0)
		us_out_puts(&o, "\n  ");

	us_out_printf(&o, "],\n  \"named_count\": %zu,\n"
	    "  \"unnamed_count\": %zu,\n  \"signature_count\": %zu\n}\n",
	    st->nsignatories, st->unnamed_count, st->signature_count);
	return (us_out_finish(&o));
}
