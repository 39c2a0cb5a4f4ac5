/*
 * PDF output plugin: one statement as an A4 PDF, drawn with Pango and
 * cairo and streamed into the sink (no temporary file).
 *
 * render() lays the document out twice.  The first pass has no cairo
 * surface: it counts the pages for the "n / N" footer and refuses text no
 * font can draw, before a byte reaches the sink.  The second pass draws.
 * Nothing is kept between the passes but the page count, so memory stays
 * flat however many organisations signed.
 */
#include <string.h>

#include <cairo-pdf.h>

#include "pdf.h"

/* Where cairo's output goes; closed once the render has failed. */
static int		 render(const struct us_p_statement *,
			    struct us_p_sink *);
static void		 metadata(cairo_surface_t *, void *);
static int		 layout(struct pdf_doc *, void *);
static void		 metadata_set(cairo_surface_t *, cairo_pdf_metadata_t,
			    const char *);
static const char	*kind_label(const char *);
static void		 running(struct pdf_doc *,
			    const struct us_p_statement *);

static const struct us_plugin pdf = {
	US_PLUGIN_HEADER,
	.name = "pdf",
	.title = "PDF document",
	.mime_type = "application/pdf",
	.extension = "pdf",
	.version = "2.0",
	.render = render,
	.cleanup = pdf_fontmap_release,
};

US_PLUGIN_EXPORT(&pdf);

/* What the two passes lay out: the statement and its parsed body. */
struct pdf_job {
	const struct us_p_statement	*st;
	cmark_node			*body;
};

static int
render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	struct pdf_doc	doc;
	struct pdf_job	job;
	int		ret = US_PLUGIN_ERROR;

	job.st = st;
	job.body = NULL;
	if (pdf_doc_init(&doc, sink, st->lang) == US_PLUGIN_ERROR)
		goto fail;
	running(&doc, st);

	/*
	 * CMARK_OPT_SAFE is cmark's default since 0.29 and only changes
	 * what its HTML renderer writes; markdown.c drops raw HTML and
	 * unsafe link targets itself.
	 */
	if (st->body_markdown != NULL) {
		job.body = cmark_parse_document(st->body_markdown,
		    strlen(st->body_markdown), CMARK_OPT_SAFE);
		if (job.body == NULL) {
			sink->error(sink, "pdf: cannot parse the body");
			goto fail;
		}
	}
	ret = pdf_doc_write(&doc, sink, "pdf", layout, metadata, &job);
fail:
	if (job.body != NULL)
		cmark_node_free(job.body);
	pdf_doc_cleanup(&doc);
	return (ret);
}

static int
layout(struct pdf_doc *doc, void *arg)
{
	struct pdf_job	*job = arg;

	return (pdf_content(doc, job->st, job->body));
}

/*
 * cairo 1.16 has no API for the document language (/Lang), so the PDF
 * does not declare one; it is not faked with a hand-written dictionary.
 */
static void
metadata(cairo_surface_t *surface, void *arg)
{
	const struct us_p_statement	*st = ((struct pdf_job *)arg)->st;
	GString	*creator = g_string_new(NULL);
	char	 date[40];

	metadata_set(surface, CAIRO_PDF_METADATA_TITLE, st->title);
	metadata_set(surface, CAIRO_PDF_METADATA_AUTHOR,
	    st->coordinator_organisation);
	metadata_set(surface, CAIRO_PDF_METADATA_SUBJECT,
	    st->headline != NULL ? st->headline : kind_label(st->kind));
	metadata_set(surface, CAIRO_PDF_METADATA_KEYWORDS, st->reference);
	/*
	 * The record's digest goes into Creator too: ASCII, so it is written
	 * as it is into the document information dictionary, where
	 * `undersigned verify` finds it without parsing the page streams.
	 */
	g_string_assign(creator, "undersigned PDF plugin 2.0");
	if (st->record_digest != NULL)
		g_string_append_printf(creator, "; record %s; key %s",
		    st->record_digest, st->record_key_id != NULL ?
		    st->record_key_id : "-");
	metadata_set(surface, CAIRO_PDF_METADATA_CREATOR, creator->str);
	g_string_free(creator, TRUE);

	/* The same statement gives the same dates, not the render time. */
	if (pdf_text_iso8601(date, sizeof(date), st->generated_at) == 0) {
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_MOD_DATE, date);
	}
}

static void
metadata_set(cairo_surface_t *surface, cairo_pdf_metadata_t key,
    const char *value)
{
	GString		*s;

	if (value == NULL)
		return;

	s = g_string_new(NULL);
	pdf_text(s, value, PDF_TEXT_SQUASH);
	if (s->len > 0)
		cairo_pdf_surface_set_metadata(surface, key, s->str);
	g_string_free(s, TRUE);
}

static const char *
kind_label(const char *kind)
{
	if (kind == NULL)
		return (NULL);
	if (strcmp(kind, "joint_statement") == 0)
		return ("Joint statement");
	if (strcmp(kind, "open_letter") == 0)
		return ("Open letter");
	if (strcmp(kind, "urgent_action") == 0)
		return ("Urgent action");

	return (kind);
}

/*
 * The short title for the top of every page after the first, and the
 * record's line for the foot of the last one.
 */
static void
running(struct pdf_doc *doc, const struct us_p_statement *st)
{
	GString		*s;
	const char	*end;
	const char	*tpl, *p;

	s = g_string_new(NULL);
	pdf_text(s, st->title, PDF_TEXT_SQUASH);
	if (g_utf8_strlen(s->str, -1) > PDF_RUNNING_CHARS) {
		end = g_utf8_offset_to_pointer(s->str, PDF_RUNNING_CHARS);
		g_string_truncate(s, (gsize)(end - s->str));
		g_string_append(s, "\u2026");
	}
	doc->running = g_string_free(s, FALSE);

	if (st->record_digest == NULL)
		return;
	s = g_string_new(NULL);
	tpl = st->tr(st, "Signed record {digest} (key {key})");
	for (p = tpl; *p != '\0'; p++) {
		if (strncmp(p, "{digest}", 8) == 0) {
			g_string_append(s, st->record_digest);
			p += 7;
		} else if (strncmp(p, "{key}", 5) == 0) {
			g_string_append(s, st->record_key_id != NULL ?
			    st->record_key_id : "-");
			p += 4;
		} else
			g_string_append_c(s, *p);
	}
	doc->proof = g_string_free(s, FALSE);
}
