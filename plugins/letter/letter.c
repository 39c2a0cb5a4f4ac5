/*
 * Letter output plugin: the statement as the letters its readers (or its
 * coordinators) send, one to each addressee, as an A4 PDF.  Each letter
 * is laid out as an NGO's formal letter: the sender's name, place and
 * date, the addressee's address block, the reference, the salutation
 * ("Dear Mr. President,"), the sample letter (or the statement's text
 * when there is none), the close and, for a joint letter, the list of
 * the organisations that signed.  A new letter starts on a new page.  A
 * statement without addressees gives one letter with no address block.
 *
 * The pages are laid out by the PDF plugin's page engine (plugins/pdf,
 * built into this plugin too: see PLUGIN_USES_letter in the Makefile),
 * twice, as there: once to count pages and refuse missing glyphs, once
 * to draw.
 */
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "pdf/pdf.h"

static int		 render(const struct us_p_statement *,
			    struct us_p_sink *);
static int		 letters(struct pdf_doc *,
			    const struct us_p_statement *, cmark_node *);
static int		 letter(struct pdf_doc *,
			    const struct us_p_statement *,
			    const struct us_p_addressee *, cmark_node *,
			    GString *);
static int		 address_block(struct pdf_doc *,
			    const struct us_p_addressee *, GString *);
static int		 signed_by(struct pdf_doc *,
			    const struct us_p_statement *, GString *);
static int		 para(struct pdf_doc *, const char *, double, double,
			    double);
static void		 metadata(cairo_surface_t *, void *);
static int		 layout(struct pdf_doc *, void *);

static const struct us_plugin letter_plugin = {
	US_PLUGIN_HEADER,
	.name = "letter",
	.title = "Letters to the addressees (PDF)",
	.mime_type = "application/pdf",
	.extension = "pdf",
	.version = "1.0",
	.render = render,
	.cleanup = pdf_fontmap_release,
	.file_suffix = "-letter",
};

US_PLUGIN_EXPORT(&letter_plugin);

/* What the two passes lay out: the statement and its parsed letter. */
struct letter_job {
	const struct us_p_statement	*st;
	cmark_node			*text;
};

static int
render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	struct pdf_doc		 doc;
	struct letter_job	 job;
	const char		*md;
	int			 ret = US_PLUGIN_ERROR;

	job.st = st;
	job.text = NULL;
	/* A server older than 2.2 has no letter: the body serves. */
	md = st->size >= offsetof(struct us_p_statement, sample_letter) +
	    sizeof(st->sample_letter) && st->sample_letter != NULL ?
	    st->sample_letter : st->body_markdown;

	if (pdf_doc_init(&doc, sink, st->lang) == US_PLUGIN_ERROR)
		goto fail;
	if (md != NULL && (job.text = cmark_parse_document(md, strlen(md),
	    CMARK_OPT_SAFE)) == NULL) {
		sink->error(sink, "letter: cannot parse the letter's text");
		goto fail;
	}
	ret = pdf_doc_write(&doc, sink, "letter", layout, metadata, &job);
fail:
	if (job.text != NULL)
		cmark_node_free(job.text);
	pdf_doc_cleanup(&doc);
	return (ret);
}

static int
layout(struct pdf_doc *doc, void *arg)
{
	struct letter_job	*job = arg;

	return (letters(doc, job->st, job->text));
}

/* One letter per addressee, each from a fresh page; one when none. */
static int
letters(struct pdf_doc *doc, const struct us_p_statement *st,
    cmark_node *text)
{
	GString	*s;
	size_t	 i;
	int	 ret = US_PLUGIN_OK;

	s = g_string_new(NULL);
	if (st->naddressees == 0)
		ret = letter(doc, st, NULL, text, s);
	for (i = 0; i < st->naddressees && ret == US_PLUGIN_OK; i++) {
		if ((ret = pdf_page_break(doc)) == US_PLUGIN_OK)
			ret = letter(doc, st, st->addressees[i], text, s);
	}
	g_string_free(s, TRUE);
	return (ret);
}

static int
letter(struct pdf_doc *doc, const struct us_p_statement *st,
    const struct us_p_addressee *a, cmark_node *text, GString *s)
{
	const char	*salutation = NULL;

	/* The sender, as a letterhead. */
	if (st->coordinator_organisation != NULL) {
		g_string_assign(s, "<b>");
		pdf_text(s, st->coordinator_organisation, PDF_TEXT_ESCAPE |
		    PDF_TEXT_SQUASH);
		g_string_append(s, "</b>");
		if (para(doc, s->str, PDF_SIZE_SECTION, 0, 2.0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}
	if (st->url != NULL) {
		g_string_truncate(s, 0);
		pdf_text(s, st->url, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		if (para(doc, s->str, PDF_SIZE_SMALL, 0, 0) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}
	pdf_space(doc, 18.0);

	/* "Bishkek, 9 December 2026": the statement's own place and date. */
	g_string_truncate(s, 0);
	pdf_text(s, st->place, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
	if (st->place != NULL && (st->date != NULL || st->generated_at !=
	    NULL))
		g_string_append(s, ", ");
	pdf_text_date(s, st, st->date != NULL ? st->date : st->generated_at);
	if (s->len > 0 && para(doc, s->str, PDF_SIZE_BODY, 0, 0) ==
	    US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	pdf_space(doc, 18.0);

	if (a != NULL) {
		if (address_block(doc, a, s) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
		salutation = a->salutation;
		pdf_space(doc, 18.0);
	}

	/* "Re: UA 56.23 — Title" */
	g_string_assign(s, "<b>");
	pdf_text(s, st->tr(st, "Re:"), PDF_TEXT_ESCAPE);
	g_string_append_c(s, ' ');
	if (st->reference != NULL) {
		pdf_text(s, st->reference, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		g_string_append(s, " \u2014 ");
	}
	pdf_text(s, st->title, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
	g_string_append(s, "</b>");
	if (para(doc, s->str, PDF_SIZE_BODY, 0, 12.0) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	if (salutation != NULL) {
		g_string_truncate(s, 0);
		pdf_text(s, salutation, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		if (s->len > 0 && para(doc, s->str, PDF_SIZE_BODY, 0, 8.0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}
	if (pdf_markdown(doc, text) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	pdf_space(doc, 14.0);
	g_string_truncate(s, 0);
	pdf_text(s, st->tr(st, "Sincerely,"), PDF_TEXT_ESCAPE);
	if (para(doc, s->str, PDF_SIZE_BODY, 0, 4.0) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	if (st->coordinator_organisation != NULL) {
		g_string_truncate(s, 0);
		pdf_text(s, st->coordinator_organisation, PDF_TEXT_ESCAPE |
		    PDF_TEXT_SQUASH);
		if (para(doc, s->str, PDF_SIZE_BODY, 0, 4.0) ==
		    US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}
	return (signed_by(doc, st, s));
}

/* Name, title and postal address, one per line, as on an envelope. */
static int
address_block(struct pdf_doc *doc, const struct us_p_addressee *a,
    GString *s)
{
	size_t	mark;

	g_string_truncate(s, 0);
	if (a->name != NULL) {
		g_string_append(s, "<b>");
		pdf_text(s, a->name, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		g_string_append(s, "</b>");
	}
	if (a->title != NULL) {
		mark = s->len;
		if (s->len > 0)
			g_string_append(s, "\u2028");
		pdf_text(s, a->title, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH);
		if (s->len == mark + (mark > 0 ? 3 : 0))
			g_string_truncate(s, mark);
	}
	if (a->address != NULL) {
		mark = s->len;
		if (s->len > 0)
			g_string_append(s, "\u2028");
		pdf_text(s, a->address, PDF_TEXT_ESCAPE | PDF_TEXT_SQUASH |
		    PDF_TEXT_NEWLINES);
		if (s->len == mark + (mark > 0 ? 3 : 0))
			g_string_truncate(s, mark);
	}
	if (s->len == 0)
		return (US_PLUGIN_OK);
	return (para(doc, s->str, PDF_SIZE_BODY, 0, 0));
}

/*
 * A joint letter's signatories: the named organisations in display
 * order, "Name (ACRONYM, Country)", then how many cannot be named.
 */
static int
signed_by(struct pdf_doc *doc, const struct us_p_statement *st, GString *s)
{
	const struct us_p_signatory	*sig;
	struct pdf_block		 b;
	const char			*name;
	GString				*line;
	char				 n[32];
	size_t				 i, open, mark;

	if (st->nsignatories == 0 && st->unnamed_count == 0)
		return (US_PLUGIN_OK);
	g_string_assign(s, "<b>");
	pdf_text(s, st->tr(st, "Signed by"), PDF_TEXT_ESCAPE);
	g_string_append(s, "</b>");
	memset(&b, 0, sizeof(b));
	b.markup = s->str;
	b.size = PDF_SIZE_BODY;
	b.before = 20.0;
	b.after = 6.0;
	b.keep = 30.0;
	if (pdf_block(doc, &b) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	memset(&b, 0, sizeof(b));
	b.plain = 1;
	b.uniform = 1;
	b.marker = "\u2022";
	b.size = PDF_SIZE_BODY;
	b.indent = 12.0;
	b.hang = 12.0;
	b.after = 1.5;
	for (i = 0; i < st->nsignatories; i++) {
		sig = st->signatories[i];
		g_string_truncate(s, 0);
		pdf_text(s, sig->organisation, PDF_TEXT_SQUASH);
		g_string_append(s, " (");
		open = s->len;
		pdf_text(s, sig->acronym, PDF_TEXT_SQUASH);
		name = sig->country_name != NULL ? sig->country_name :
		    sig->country;
		mark = s->len;
		if (name != NULL && s->len > open)
			g_string_append(s, ", ");
		pdf_text(s, name, PDF_TEXT_SQUASH);
		if (s->len == mark + 2)		/* a country of nothing */
			g_string_truncate(s, mark);
		if (s->len == open)
			g_string_truncate(s, open - 2);
		else
			g_string_append_c(s, ')');
		b.markup = s->str;
		if (pdf_block(doc, &b) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
	}
	if (st->unnamed_count == 0)
		return (US_PLUGIN_OK);
	(void)snprintf(n, sizeof(n), "%zu", st->unnamed_count);
	name = st->nsignatories > 0 ? st->ntr(st, "and {n} organisation that "
	    "cannot be named for its safety", "and {n} organisations that "
	    "cannot be named for their safety", st->unnamed_count) :
	    st->ntr(st, "{n} organisation that cannot be named for its "
	    "safety", "{n} organisations that cannot be named for their "
	    "safety", st->unnamed_count);
	line = g_string_new(NULL);
	for (; *name != '\0'; name++) {
		if (strncmp(name, "{n}", 3) == 0) {
			g_string_append(line, n);
			name += 2;
		} else
			g_string_append_c(line, *name);
	}
	g_string_truncate(s, 0);
	pdf_text(s, line->str, PDF_TEXT_ESCAPE);
	g_string_free(line, TRUE);
	return (para(doc, s->str, PDF_SIZE_BODY, 6.0, 2.0));
}

static int
para(struct pdf_doc *doc, const char *markup, double size, double before,
    double after)
{
	struct pdf_block	b;

	memset(&b, 0, sizeof(b));
	b.markup = markup;
	b.size = size;
	b.before = before;
	b.after = after;
	return (pdf_block(doc, &b));
}

static void
metadata(cairo_surface_t *surface, void *arg)
{
	const struct us_p_statement	*st = ((struct letter_job *)arg)->st;
	GString	*s;
	char	 date[40];

	s = g_string_new(NULL);
	pdf_text(s, st->title, PDF_TEXT_SQUASH);
	if (s->len > 0)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_TITLE, s->str);
	g_string_truncate(s, 0);
	pdf_text(s, st->coordinator_organisation, PDF_TEXT_SQUASH);
	if (s->len > 0)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_AUTHOR, s->str);
	g_string_free(s, TRUE);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
	    "undersigned letter plugin 1.0");
	/* The same statement gives the same dates, not the render time. */
	if (pdf_text_iso8601(date, sizeof(date), st->generated_at) == 0) {
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_MOD_DATE, date);
	}
}
