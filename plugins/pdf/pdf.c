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
struct stream {
	struct us_p_sink	*sink;
	int			 failed;
	int			 closed;
};

static int		 render(const struct us_p_statement *,
			    struct us_p_sink *);
static cairo_status_t	 stream_write(void *, const unsigned char *,
			    unsigned int);
static void		 metadata(cairo_surface_t *,
			    const struct us_p_statement *);
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

static int
render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	struct pdf_doc		 doc;
	struct stream		 stream;
	cmark_node		*body;
	cairo_surface_t		*surface;
	cairo_t			*cr;
	cairo_status_t		 status;
	int			 ret;

	ret = US_PLUGIN_ERROR;
	body = NULL;
	surface = NULL;
	cr = NULL;
	memset(&stream, 0, sizeof(stream));
	stream.sink = sink;

	if (pdf_doc_init(&doc, sink, st->lang) == US_PLUGIN_ERROR)
		goto fail;
	running(&doc, st);

	/*
	 * CMARK_OPT_SAFE is cmark's default since 0.29 and only changes
	 * what its HTML renderer writes; markdown.c drops raw HTML and
	 * unsafe link targets itself.
	 */
	if (st->body_markdown != NULL) {
		body = cmark_parse_document(st->body_markdown,
		    strlen(st->body_markdown), CMARK_OPT_SAFE);
		if (body == NULL) {
			sink->error(sink, "pdf: cannot parse the body");
			goto fail;
		}
	}

	/* Pass one: count pages, check glyphs. */
	if (pdf_content(&doc, st, body) == US_PLUGIN_ERROR ||
	    pdf_doc_finish(&doc) == US_PLUGIN_ERROR)
		goto fail;

	surface = cairo_pdf_surface_create_for_stream(stream_write, &stream,
	    PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT);
	if ((status = cairo_surface_status(surface)) != CAIRO_STATUS_SUCCESS) {
		sink->error(sink, "pdf: cannot create the PDF surface: %s",
		    cairo_status_to_string(status));
		goto fail;
	}
	metadata(surface, st);

	/* Pass two: draw. */
	cr = cairo_create(surface);
	pdf_doc_rewind(&doc, cr);
	if (pdf_content(&doc, st, body) == US_PLUGIN_ERROR ||
	    pdf_doc_finish(&doc) == US_PLUGIN_ERROR)
		goto fail;

	if ((status = cairo_status(cr)) != CAIRO_STATUS_SUCCESS) {
		sink->error(sink, "pdf: cairo: %s",
		    cairo_status_to_string(status));
		goto fail;
	}
	cairo_destroy(cr);
	cr = NULL;

	/* The fonts and the cross-reference table are written here. */
	cairo_surface_finish(surface);
	status = cairo_surface_status(surface);
	if (stream.failed) {
		sink->error(sink, "pdf: writing the document failed");
		goto fail;
	}
	if (status != CAIRO_STATUS_SUCCESS) {
		sink->error(sink, "pdf: cairo: %s",
		    cairo_status_to_string(status));
		goto fail;
	}

	ret = US_PLUGIN_OK;

fail:
	/*
	 * Destroying an unfinished surface would still write the rest of
	 * a PDF; after an error the sink gets nothing more.
	 */
	if (ret != US_PLUGIN_OK)
		stream.closed = 1;
	if (cr != NULL)
		cairo_destroy(cr);
	if (surface != NULL)
		cairo_surface_destroy(surface);
	if (body != NULL)
		cmark_node_free(body);
	pdf_doc_cleanup(&doc);

	return (ret);
}

static cairo_status_t
stream_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct stream	*stream = arg;

	if (stream->closed || stream->failed)
		return (CAIRO_STATUS_WRITE_ERROR);

	if (stream->sink->write(stream->sink, data, len) != US_PLUGIN_OK) {
		stream->failed = 1;
		return (CAIRO_STATUS_WRITE_ERROR);
	}

	return (CAIRO_STATUS_SUCCESS);
}

/*
 * cairo 1.16 has no API for the document language (/Lang), so the PDF
 * does not declare one; it is not faked with a hand-written dictionary.
 */
static void
metadata(cairo_surface_t *surface, const struct us_p_statement *st)
{
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
