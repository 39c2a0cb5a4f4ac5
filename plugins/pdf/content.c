/*
 * What the document says, in reading order: title and references, the
 * body, the addressees, the signatories.  Everything here only builds
 * markup and hands it to the page engine, one block at a time, so the same
 * code serves the measuring and the drawing pass.
 *
 * The labels are the server's words in the statement's language, through
 * the model's tr() and format_date().
 */
#include <stdio.h>
#include <string.h>

#include "pdf.h"

static int	 header(struct pdf_doc *, const struct us_p_statement *,
		    GString *);
static int	 addressees(struct pdf_doc *, const struct us_p_statement *,
		    GString *);
static void	 addressee_line(GString *, const char *, const char *, int);
static int	 signatories(struct pdf_doc *, const struct us_p_statement *,
		    GString *);
static void	 signatory(GString *, const struct us_p_signatory *);
static int	 facts(struct pdf_doc *, const struct us_p_statement *,
		    GString *);
static void	 fill(GString *, const char *, const char *const *,
		    const char *const *, size_t);
static int	 line(struct pdf_doc *, const char *, double, double, double,
		    double, double);
static int	 section(struct pdf_doc *, const char *);

int
pdf_content(struct pdf_doc *doc, const struct us_p_statement *st,
    cmark_node *body)
{
	GString		*s;
	int		 ret;

	ret = US_PLUGIN_ERROR;
	s = g_string_new(NULL);

	if (header(doc, st, s) == US_PLUGIN_ERROR)
		goto fail;
	if (pdf_markdown(doc, body) == US_PLUGIN_ERROR)
		goto fail;
	if (addressees(doc, st, s) == US_PLUGIN_ERROR)
		goto fail;
	if (signatories(doc, st, s) == US_PLUGIN_ERROR)
		goto fail;

	ret = US_PLUGIN_OK;

fail:
	g_string_free(s, TRUE);
	return (ret);
}

static int
header(struct pdf_doc *doc, const struct us_p_statement *st, GString *s)
{
	if (st->title != NULL) {
		g_string_assign(s, "<b>");
		pdf_text(s, st->title, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		g_string_append(s, "</b>");
		if (line(doc, s->str, PDF_SIZE_TITLE, 0, 0, 10.0, 0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}

	if (facts(doc, st, s) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	if (st->reference != NULL) {
		g_string_assign(s, st->tr(st, "Reference:"));
		g_string_append_c(s, ' ');
		pdf_text(s, st->reference, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		if (line(doc, s->str, PDF_SIZE_BODY, 0, 0, 2.0, 0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}

	if (st->place != NULL || st->date != NULL) {
		g_string_truncate(s, 0);
		pdf_text(s, st->place, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		if (st->place != NULL && st->date != NULL)
			g_string_append(s, ", ");
		pdf_text_date(s, st, st->date);
		if (line(doc, s->str, PDF_SIZE_BODY, 0, 0, 2.0, 0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}

	if (st->expires_on != NULL) {
		g_string_assign(s, "<b>");
		pdf_text(s, st->tr(st, "Action needed until"), PDF_TEXT_ESCAPE);
		g_string_append_c(s, ' ');
		pdf_text_date(s, st, st->expires_on);
		g_string_append(s, "</b>");
		if (line(doc, s->str, PDF_SIZE_BODY, 0, 0, 2.0, 0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}

	pdf_space(doc, 16.0);
	return (US_PLUGIN_OK);
}

static int
addressees(struct pdf_doc *doc, const struct us_p_statement *st, GString *s)
{
	const struct us_p_addressee	*a;
	size_t				 i;

	if (st->naddressees == 0)
		return (US_PLUGIN_OK);
	if (section(doc, st->tr(st, "Addressed to")) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	for (i = 0; i < st->naddressees; i++) {
		a = st->addressees[i];

		g_string_truncate(s, 0);
		if (a->name != NULL) {
			g_string_append(s, "<b>");
			pdf_text(s, a->name, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
			g_string_append(s, "</b>");
		}
		addressee_line(s, NULL, a->title, 0);
		addressee_line(s, NULL, a->address, 1);
		addressee_line(s, st->tr(st, "Email:"), a->email, 0);
		addressee_line(s, st->tr(st, "Phone:"), a->phone, 0);
		addressee_line(s, st->tr(st, "Fax:"), a->fax, 0);
		addressee_line(s, st->tr(st, "Social media:"), a->social, 0);
		if (s->len == 0)
			continue;

		if (line(doc, s->str, PDF_SIZE_BODY, 0, 0, 10.0, 0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}

	return (US_PLUGIN_OK);
}

/* One more line of an addressee; an address keeps its own line breaks. */
static void
addressee_line(GString *s, const char *label, const char *value,
    int lines)
{
	size_t		mark, head;

	if (value == NULL)
		return;

	/* A line break inside the block, as pdf_text() writes them. */
	mark = s->len;
	if (s->len > 0)
		g_string_append(s, "\u2028");
	if (label != NULL) {
		pdf_text(s, label, PDF_TEXT_ESCAPE);
		g_string_append_c(s, ' ');
	}
	head = s->len;
	pdf_text(s, value, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH |
	    (lines ? PDF_TEXT_NEWLINES : 0));

	/* Blank once squashed: no line, not even its label. */
	if (s->len == head)
		g_string_truncate(s, mark);
}

static int
signatories(struct pdf_doc *doc, const struct us_p_statement *st,
    GString *s)
{
	struct us_p_signatory	 sig;
	struct pdf_block	 b;
	char			 marker[32];
	double			 width, gutter;
	unsigned int		 last;
	size_t			 i;
	int			 n;
	static const char *const nkeys[] = { "n" };

	if (st->nsignatories == 0 && st->unnamed_count == 0)
		return (US_PLUGIN_OK);
	if (section(doc, st->tr(st, "Signed by")) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	/*
	 * Numbers hang right-aligned in a gutter as wide as the widest one;
	 * the font's digits are tabular, so zeros measure any number.
	 */
	last = 0;
	for (i = 0; i < st->nsignatories; i++) {
		if (st->signatories[i]->position > last)
			last = st->signatories[i]->position;
	}
	if (last < st->nsignatories)
		last = (unsigned int)st->nsignatories;
	n = snprintf(marker, sizeof(marker), "%u", last);
	memset(marker, '0', (size_t)n);
	(void)snprintf(marker + n, sizeof(marker) - (size_t)n, ".");
	if (pdf_measure(doc, marker, PDF_SIZE_BODY, &width) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	gutter = (st->nsignatories > 0) ? width + PDF_MARKER_GAP : 0;

	memset(&b, 0, sizeof(b));
	b.plain = 1;
	b.uniform = 1;
	b.marker = marker;
	b.size = PDF_SIZE_BODY;
	b.indent = gutter;
	b.hang = gutter;
	b.after = 2.0;

	/* One block per name, placed before the next one is built. */
	for (i = 0; i < st->nsignatories; i++) {
		sig = *st->signatories[i];
		if (sig.position == 0)
			sig.position = (unsigned int)(i + 1);

		g_string_truncate(s, 0);
		signatory(s, &sig);
		b.markup = s->str;
		(void)snprintf(marker, sizeof(marker), "%u.", sig.position);
		if (pdf_block(doc, &b) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}

	if (st->unnamed_count == 0)
		return (US_PLUGIN_OK);

	/* Without named ones there is nothing for "and" to join. */
	g_string_truncate(s, 0);
	(void)snprintf(marker, sizeof(marker), "%zu", st->unnamed_count);
	fill(s, st->nsignatories > 0 ? st->ntr(st, "and {n} organisation "
	    "that cannot be named for its safety", "and {n} organisations "
	    "that cannot be named for their safety", st->unnamed_count) :
	    st->ntr(st, "{n} organisation that cannot be named for its "
	    "safety", "{n} organisations that cannot be named for their "
	    "safety", st->unnamed_count), nkeys, (const char *const[]){
	    marker }, 1);

	return (line(doc, s->str, PDF_SIZE_BODY, gutter, 6.0, 2.0, 0));
}

/*
 * "Organisation (ACRONYM, Country)", "(Country)" alone, or the name; as
 * plain text, which Pango takes without parsing markup, once per name.
 */
static void
signatory(GString *s, const struct us_p_signatory *sig)
{
	const char	*country;
	size_t		 name, open, mark, i;

	pdf_text(s, sig->organisation, PDF_TEXT_SQUASH);
	name = s->len;

	g_string_append(s, " (");
	open = s->len;
	pdf_text(s, sig->acronym, PDF_TEXT_SQUASH);

	/* Every country; one that squashed to nothing leaves no ", ". */
	for (i = 0; i < sig->ncountries; i++) {
		country = sig->country_names[i] != NULL ?
		    sig->country_names[i] : sig->countries[i];
		mark = s->len;
		if (s->len > open)
			g_string_append(s, ", ");
		pdf_text(s, country, PDF_TEXT_SQUASH);
		if (s->len == mark + 2 && mark > open)
			g_string_truncate(s, mark);
	}

	if (s->len == open)
		g_string_truncate(s, name);
	else
		g_string_append_c(s, ')');
}

static int
line(struct pdf_doc *doc, const char *markup, double size, double indent,
    double before, double after, double keep)
{
	struct pdf_block	b;

	memset(&b, 0, sizeof(b));
	b.markup = markup;
	b.size = size;
	b.indent = indent;
	b.before = before;
	b.after = after;
	b.keep = keep;

	return (pdf_block(doc, &b));
}

static int
section(struct pdf_doc *doc, const char *title)
{
	GString	*s;
	int	 rc;

	s = g_string_new("<b>");
	pdf_text(s, title, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
	g_string_append(s, "</b>");
	rc = line(doc, s->str, PDF_SIZE_SECTION, 0, 20.0, 6.0, 30.0);
	g_string_free(s, TRUE);
	return (rc);
}

/* A translated sentence with its {placeholders} filled in, as plain text. */
static void
fill(GString *s, const char *tpl, const char *const *keys,
    const char *const *values, size_t n)
{
	const char	*p;
	size_t		 i, klen;

	for (p = tpl; *p != '\0'; p++) {
		for (i = 0; *p == '{' && i < n; i++) {
			klen = strlen(keys[i]);
			if (strncmp(p + 1, keys[i], klen) == 0 &&
			    p[1 + klen] == '}')
				break;
		}
		if (*p == '{' && i < n) {
			pdf_text(s, values[i], PDF_TEXT_SQUASH);
			p += klen + 1;
		} else
			g_string_append_c(s, *p);
	}
}

/*
 * Under the title, what the document is: the public address, the status
 * ("Published 9 December 2026, version 2", or "Open for signatures — list
 * as of ..." so that a copy taken mid-campaign never looks final) and the
 * counts, named and not named.
 */
static int
facts(struct pdf_doc *doc, const struct us_p_statement *st, GString *s)
{
	static const char *const keys[] = { "total", "named", "unnamed" };
	char			 total[24], named[24], unnamed[24];
	GString			*plain;

	plain = g_string_new(NULL);
	if (st->url != NULL) {
		g_string_truncate(s, 0);
		pdf_text(s, st->url, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		if (line(doc, s->str, PDF_SIZE_SMALL, 0, 0, 2.0, 0) ==
		    US_PLUGIN_ERROR)
			goto fail;
	}
	g_string_assign(s, "<b>");
	pdf_text(s, st->status_line, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
	g_string_append(s, "</b>");
	if (line(doc, s->str, PDF_SIZE_SMALL, 0, 0, 2.0, 0) == US_PLUGIN_ERROR)
		goto fail;
	(void)snprintf(total, sizeof(total), "%zu", st->signature_count);
	(void)snprintf(named, sizeof(named), "%zu", st->nsignatories);
	(void)snprintf(unnamed, sizeof(unnamed), "%zu", st->unnamed_count);
	fill(plain, st->tr(st, "Signatories: {total} ({named} named, "
	    "{unnamed} not named)"), keys, (const char *const[]){ total,
	    named, unnamed }, 3);
	g_string_truncate(s, 0);
	pdf_text(s, plain->str, PDF_TEXT_ESCAPE);
	if (line(doc, s->str, PDF_SIZE_SMALL, 0, 0, st->action_count > 0 ?
	    2.0 : 10.0, 0) == US_PLUGIN_ERROR)
		goto fail;
	/* An urgent action's readers' confirmed actions, for the officials. */
	if (st->action_count > 0) {
		(void)snprintf(total, sizeof(total), "%zu", st->action_count);
		g_string_truncate(plain, 0);
		fill(plain, st->ntr(st, "{n} action taken", "{n} actions taken",
		    st->action_count), (const char *const[]){ "n" },
		    (const char *const[]){ total }, 1);
		g_string_truncate(s, 0);
		pdf_text(s, plain->str, PDF_TEXT_ESCAPE);
		if (line(doc, s->str, PDF_SIZE_SMALL, 0, 0, 10.0, 0) ==
		    US_PLUGIN_ERROR)
			goto fail;
	}
	g_string_free(plain, TRUE);
	return (US_PLUGIN_OK);
fail:
	g_string_free(plain, TRUE);
	return (US_PLUGIN_ERROR);
}
