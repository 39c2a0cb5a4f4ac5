/*
 * The page engine.
 *
 * Content arrives as blocks: one paragraph, one heading, one signatory.
 * Each block is laid out in the same reused PangoLayout and placed line
 * by line, so that a long block breaks across pages; nothing of it is kept
 * afterwards, so memory does not grow with the number of blocks, only the
 * PDF does.  Without a cairo context (the first pass) the engine only
 * counts pages and checks glyphs; with one it draws.
 */
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "pdf.h"

/* Blocks up to this height move whole to the next page, taller ones split. */
#define KEEP_WHOLE		(0.25 * (PDF_TEXT_BOTTOM - PDF_MARGIN_TOP))
#define MIN_WIDTH		72.0
#define EXCERPT_CHARS		30

static int		 block_quick(struct pdf_doc *, const struct pdf_block *,
			    const char *, double, double, int *);
static int		 place_line(struct pdf_doc *, const struct pdf_block *,
			    double, double *);
static int		 tofu(struct pdf_doc *, PangoLayout *);
static int		 page_next(struct pdf_doc *);
static int		 page_end(struct pdf_doc *);
static int		 page_line(struct pdf_doc *, const char *, double);

/* The calling thread's font map; dropped when the thread ends. */
static GPrivate		 fontmap_key = G_PRIVATE_INIT(g_object_unref);

int
pdf_doc_init(struct pdf_doc *doc, struct us_p_sink *sink, const char *lang)
{
	cairo_font_options_t	*options;

	memset(doc, 0, sizeof(*doc));
	doc->sink = sink;
	doc->fresh = 1;
	doc->y = PDF_MARGIN_TOP;

	/*
	 * One font map per thread, kept between renders: loading faces and
	 * sorting fontconfig's fallback lists is most of a short render.
	 * Per thread because render() may run in several threads at once
	 * and a font map's caches are not safe to share; ours rather than
	 * pango_cairo_font_map_get_default() (also per thread) so that
	 * nothing else in the process that uses Pango changes it under us.
	 */
	doc->fontmap = g_private_get(&fontmap_key);
	if (doc->fontmap == NULL) {
		doc->fontmap = pango_cairo_font_map_new();
		if (doc->fontmap == NULL) {
			sink->error(sink, "pdf: cannot create a Pango font map");
			return (US_PLUGIN_ERROR);
		}
		g_private_set(&fontmap_key, doc->fontmap);
	}
	doc->pango = pango_font_map_create_context(doc->fontmap);

	/* Font sizes are in points and a PDF user unit is one point. */
	pango_cairo_context_set_resolution(doc->pango, 72.0);

	/*
	 * Hinted metrics round advances to device pixels, which a PDF does
	 * not have; without hinting both passes measure the same widths and
	 * break lines and pages at the same places.
	 */
	options = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(doc->pango, options);
	cairo_font_options_destroy(options);
	pango_context_set_round_glyph_positions(doc->pango, FALSE);

	/*
	 * The page is left to right; a right-to-left name stays a
	 * right-to-left run inside its line instead of flipping the line.
	 */
	pango_context_set_base_dir(doc->pango, PANGO_DIRECTION_LTR);
	if (lang != NULL) {
		pango_context_set_language(doc->pango,
		    pango_language_from_string(lang));
	}

	doc->font = pango_font_description_new();
	pango_font_description_set_family(doc->font, PDF_FONT_FAMILIES);
	doc->mono = pango_font_description_new();
	pango_font_description_set_family(doc->mono, PDF_MONO_FAMILIES);

	/*
	 * Two layouts serve every block in turn, one for text and one for
	 * measuring and the footer: set_text() on a live layout costs less
	 * than a new object per name.
	 */
	doc->text = pango_layout_new(doc->pango);
	doc->mark = pango_layout_new(doc->pango);
	pango_layout_set_auto_dir(doc->text, FALSE);
	pango_layout_set_auto_dir(doc->mark, FALSE);
	doc->scratch = g_string_new(NULL);

	/*
	 * A name too long for the line breaks inside a word; a hyphen there
	 * would become part of the name when the text is copied out.
	 */
	doc->plain = pango_attr_list_new();
	pango_attr_list_insert(doc->plain,
	    pango_attr_insert_hyphens_new(FALSE));

	return (US_PLUGIN_OK);
}

/* The plugin's cleanup(): the unloading thread's font map goes. */
void
pdf_fontmap_release(void)
{
	g_private_replace(&fontmap_key, NULL);
}

void
pdf_doc_cleanup(struct pdf_doc *doc)
{
	pdf_quick_cleanup(doc);
	if (doc->text != NULL)
		g_object_unref(doc->text);
	if (doc->mark != NULL)
		g_object_unref(doc->mark);
	if (doc->plain != NULL)
		pango_attr_list_unref(doc->plain);
	if (doc->scratch != NULL)
		g_string_free(doc->scratch, TRUE);
	if (doc->font != NULL)
		pango_font_description_free(doc->font);
	if (doc->mono != NULL)
		pango_font_description_free(doc->mono);
	if (doc->pango != NULL)
		g_object_unref(doc->pango);
	g_free(doc->running);
	g_free(doc->proof);

	doc->running = doc->proof = NULL;
	doc->text = doc->mark = NULL;
	doc->plain = NULL;
	doc->scratch = NULL;
	doc->font = doc->mono = NULL;
	doc->pango = NULL;
	doc->fontmap = NULL;
}

/* Start over for the drawing pass; the pages counted so far are N. */
void
pdf_doc_rewind(struct pdf_doc *doc, cairo_t *cr)
{
	doc->npages = doc->page;
	doc->cr = cr;
	doc->page = 0;
	doc->fresh = 1;
	doc->y = PDF_MARGIN_TOP;
	doc->owed = 0;
}

/*
 * A list marker shares the layout of its text: "\t12.\tName", with a
 * right-aligned tab stop for the number, a left one where the text starts
 * and a hanging indent for the lines after the first.  One layout per
 * signatory instead of two halves the shaping work, and text extraction
 * reads the number and the name in order.
 */
int
pdf_block(struct pdf_doc *doc, const struct pdf_block *b)
{
	PangoLayoutIter		*iter;
	PangoTabArray		*tabs;
	PangoRectangle		 line;
	const char		*text;
	double			 x, width, height, gap, need, base, top;
	size_t			 prefix;
	int			 h, lh, done, ret;

	ret = US_PLUGIN_ERROR;
	iter = NULL;

	x = b->indent;
	if (b->marker != NULL)
		x = MAX(b->indent - b->hang, 0);
	width = PDF_TEXT_WIDTH - x;
	if (width < MIN_WIDTH)
		width = MIN_WIDTH;

	lh = 0;
	if (b->uniform &&
	    pdf_quick_line(doc, b->size, &lh) == US_PLUGIN_ERROR)
		goto fail;

	/* The marker as drawn: plain, or escaped for markup. */
	g_string_truncate(doc->scratch, 0);
	if (b->marker != NULL) {
		pdf_text(doc->scratch, b->marker,
		    b->plain ? PDF_TEXT_SQUASH : PDF_TEXT_ESCAPE);
	}

	if (b->uniform && b->plain && !b->mono && b->marker != NULL) {
		if (block_quick(doc, b, doc->scratch->str, x, width, &done) ==
		    US_PLUGIN_ERROR)
			goto fail;
		if (done)
			return (US_PLUGIN_OK);
	}

	prefix = 0;
	text = b->markup;
	if (b->marker != NULL) {
		g_string_prepend_c(doc->scratch, '\t');
		g_string_append_c(doc->scratch, '\t');
		prefix = doc->scratch->len;
		g_string_append(doc->scratch, b->markup);
		text = doc->scratch->str;
	}

	if (pdf_layout_set(doc, doc->text, text, b->plain, b->size, width,
	    b->mono, prefix, lh) == US_PLUGIN_ERROR)
		goto fail;

	if (b->marker != NULL) {
		tabs = pango_tab_array_new(2, FALSE);
		pango_tab_array_set_tab(tabs, 0, PANGO_TAB_RIGHT,
		    pango_units_from_double(b->indent - x - PDF_MARKER_GAP));
		pango_tab_array_set_tab(tabs, 1, PANGO_TAB_LEFT,
		    pango_units_from_double(b->indent - x));
		pango_layout_set_tabs(doc->text, tabs);
		pango_tab_array_free(tabs);
		pango_layout_set_indent(doc->text,
		    -pango_units_from_double(b->indent - x));
	} else {
		pango_layout_set_tabs(doc->text, NULL);
		pango_layout_set_indent(doc->text, 0);
	}

	/* Checked once, before anything is written. */
	if (doc->cr == NULL && tofu(doc, doc->text) == US_PLUGIN_ERROR)
		goto fail;

	pango_layout_get_size(doc->text, NULL, &h);
	height = pango_units_to_double(h);
	iter = pango_layout_get_iter(doc->text);
	pango_layout_iter_get_line_extents(iter, NULL, &line);

	if (doc->page == 0)
		doc->page = 1;

	/*
	 * A short block moves whole to the next page rather than leave one
	 * line behind; a heading also takes the start of what follows it.
	 */
	gap = doc->fresh ? 0 : MAX(doc->owed, b->before);
	need = (height <= KEEP_WHOLE) ? height :
	    pango_units_to_double(line.y + line.height);
	need += b->keep;
	if (!doc->fresh && doc->y + gap + need > PDF_TEXT_BOTTOM) {
		if (page_next(doc) == US_PLUGIN_ERROR)
			goto fail;
		gap = 0;
	}

	/* base: where the layout's own y = 0 falls on this page. */
	base = doc->y + gap;
	do {
		pango_layout_iter_get_line_extents(iter, NULL, &line);
		top = base + pango_units_to_double(line.y);
		if (!doc->fresh && top + pango_units_to_double(line.height) >
		    PDF_TEXT_BOTTOM) {
			if (page_next(doc) == US_PLUGIN_ERROR)
				goto fail;
			base = PDF_MARGIN_TOP - pango_units_to_double(line.y);
		}
		doc->fresh = 0;

		if (doc->cr == NULL)
			continue;

		cairo_move_to(doc->cr, PDF_MARGIN_LEFT + x +
		    pango_units_to_double(line.x), base +
		    pango_units_to_double(pango_layout_iter_get_baseline(iter)));
		pango_cairo_show_layout_line(doc->cr,
		    pango_layout_iter_get_line_readonly(iter));
	} while (pango_layout_iter_next_line(iter));

	doc->y = base + height;
	doc->owed = b->after;
	ret = US_PLUGIN_OK;

fail:
	if (iter != NULL)
		pango_layout_iter_free(iter);

	return (ret);
}

/*
 * A plain list entry that surely fits one line is placed, and drawn in
 * the drawing pass, without a layout (quick.c); *done says whether it
 * was.
 */
static int
block_quick(struct pdf_doc *doc, const struct pdf_block *b,
    const char *marker, double x, double width, int *done)
{
	double	height, top;
	int	oneline;

	*done = 0;
	if (pdf_quick_height(doc, marker, b->markup, b->size,
	    width - (b->indent - x), &oneline, &height) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	if (!oneline)
		return (US_PLUGIN_OK);

	if (place_line(doc, b, height, &top) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	if (doc->cr != NULL) {
		pdf_quick_draw(doc, marker, b->markup, PDF_MARGIN_LEFT +
		    b->indent - PDF_MARKER_GAP, PDF_MARGIN_LEFT + b->indent,
		    top);
	}
	*done = 1;

	return (US_PLUGIN_OK);
}

/*
 * Place a block of one line this tall as pdf_block() places a layout;
 * *top is where the line starts on the page.
 */
static int
place_line(struct pdf_doc *doc, const struct pdf_block *b, double height,
    double *top)
{
	double	gap;

	if (doc->page == 0)
		doc->page = 1;

	gap = doc->fresh ? 0 : MAX(doc->owed, b->before);
	if (!doc->fresh && doc->y + gap + height + b->keep > PDF_TEXT_BOTTOM) {
		if (page_next(doc) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
		gap = 0;
	}
	doc->fresh = 0;
	*top = doc->y + gap;
	doc->y = *top + height;
	doc->owed = b->after;

	return (US_PLUGIN_OK);
}

/*
 * What follows starts on a new page (the letter plugin's next letter);
 * nothing happens on a page that is still empty.
 */
int
pdf_page_break(struct pdf_doc *doc)
{
	if (doc->page == 0 || doc->fresh)
		return (US_PLUGIN_OK);
	return (page_next(doc));
}

/* At least this much space before whatever comes next. */
void
pdf_space(struct pdf_doc *doc, double points)
{
	doc->owed = MAX(doc->owed, points);
}

/* A thin horizontal line, for a Markdown thematic break. */
int
pdf_rule(struct pdf_doc *doc, double indent)
{
	double		gap;

	if (doc->page == 0)
		doc->page = 1;

	gap = doc->fresh ? 0 : MAX(doc->owed, 8.0);
	if (!doc->fresh && doc->y + gap + 1.0 > PDF_TEXT_BOTTOM) {
		if (page_next(doc) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
		gap = 0;
	}
	doc->y += gap;

	if (doc->cr != NULL) {
		cairo_save(doc->cr);
		cairo_set_source_rgb(doc->cr, 0.6, 0.6, 0.6);
		cairo_set_line_width(doc->cr, 0.5);
		cairo_move_to(doc->cr, PDF_MARGIN_LEFT + indent, doc->y + 0.25);
		cairo_line_to(doc->cr, PDF_PAGE_WIDTH - PDF_MARGIN_RIGHT,
		    doc->y + 0.25);
		cairo_stroke(doc->cr);
		cairo_restore(doc->cr);
	}

	doc->y += 0.5;
	doc->owed = 8.0;
	doc->fresh = 0;

	return (US_PLUGIN_OK);
}

/* The width of one line of plain text, to size a gutter. */
int
pdf_measure(struct pdf_doc *doc, const char *text, double size,
    double *width)
{
	int	w;

	if (pdf_layout_set(doc, doc->mark, text, 1, size, -1, 0, 0, 0) ==
	    US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	pango_layout_get_size(doc->mark, &w, NULL);
	*width = pango_units_to_double(w);

	return (US_PLUGIN_OK);
}

/* Close the last page; an empty document still has one. */
int
pdf_doc_finish(struct pdf_doc *doc)
{
	if (doc->page == 0)
		doc->page = 1;

	if (doc->cr != NULL && doc->page != doc->npages) {
		doc->sink->error(doc->sink, "pdf: the drawing pass made %u "
		    "pages where the measuring pass counted %u", doc->page,
		    doc->npages);
		return (US_PLUGIN_ERROR);
	}

	return (page_end(doc));
}

/*
 * Give a layout its text (markup unless plain), size and width.  The
 * first prefix bytes are a list marker that must stay on the line of the
 * text's first character.  Every line is lh Pango units tall, unless lh
 * is 0 (each line as tall as its fonts).
 */
int
pdf_layout_set(struct pdf_doc *doc, PangoLayout *layout, const char *s,
    int plain, double size, double width, int mono, size_t prefix, int lh)
{
	PangoFontDescription	*font;
	PangoAttrList		*attrs;
	PangoAttribute		*attr;
	GError			*err;
	char			*text;

	if (plain && prefix == 0 && lh == 0) {
		pango_layout_set_text(layout, s, -1);
		pango_layout_set_attributes(layout, doc->plain);
	} else {
		/*
		 * Parsed here rather than with pango_layout_set_markup(),
		 * which only logs a warning on bad markup and shows nothing.
		 * All text is escaped by pdf_text(), so an error is our bug.
		 */
		if (plain) {
			attrs = pango_attr_list_new();
			text = g_strdup(s);
		} else {
			err = NULL;
			if (!pango_parse_markup(s, -1, 0, &attrs, &text, NULL,
			    &err)) {
				doc->sink->error(doc->sink, "pdf: internal "
				    "markup error: %s", err->message);
				g_error_free(err);
				return (US_PLUGIN_ERROR);
			}
		}

		/*
		 * A name too long for the line breaks inside a word; a hyphen
		 * there would become part of the name when copied out.
		 */
		pango_attr_list_insert_before(attrs,
		    pango_attr_insert_hyphens_new(FALSE));

		if (lh != 0) {
			pango_attr_list_insert_before(attrs,
			    pango_attr_line_height_new_absolute(lh));
		}

		/* No line break between a marker and what it marks. */
		if (prefix > 0 && text[prefix] != '\0') {
			attr = pango_attr_allow_breaks_new(FALSE);
			attr->start_index = 0;
			attr->end_index = g_utf8_next_char(text + prefix) - text;
			pango_attr_list_insert(attrs, attr);
		}

		pango_layout_set_text(layout, text, -1);
		pango_layout_set_attributes(layout, attrs);
		pango_attr_list_unref(attrs);
		g_free(text);
	}

	/* Pango compares it with the current one and keeps that if equal. */
	font = pango_font_description_copy_static(mono ? doc->mono : doc->font);
	pango_font_description_set_size(font, (gint)(size * PANGO_SCALE));
	pango_layout_set_font_description(layout, font);
	pango_font_description_free(font);

	if (width > 0) {
		/* Break inside a word only when one word is wider. */
		pango_layout_set_width(layout, pango_units_from_double(width));
		pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	} else
		pango_layout_set_width(layout, -1);

	return (US_PLUGIN_OK);
}

/*
 * No installed font has a glyph for some character: the PDF would show an
 * empty box where a name should be.  Say which character, and where.
 */
static int
tofu(struct pdf_doc *doc, PangoLayout *layout)
{
	PangoLayoutIter		*iter;
	PangoLayoutRun		*run;
	GString			*excerpt, *raw;
	const char		*text, *at, *start, *end;
	PangoGlyph		 glyph;
	gunichar		 c;
	int			 i, n;

	if (pango_layout_get_unknown_glyphs_count(layout) == 0)
		return (US_PLUGIN_OK);

	text = pango_layout_get_text(layout);
	at = text;
	c = 0;

	iter = pango_layout_get_iter(layout);
	do {
		if ((run = pango_layout_iter_get_run_readonly(iter)) == NULL)
			continue;
		for (i = 0; i < run->glyphs->num_glyphs; i++) {
			glyph = run->glyphs->glyphs[i].glyph;
			if (!(glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
			    glyph == PANGO_GLYPH_INVALID_INPUT)
				continue;
			c = glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
			at = text + run->item->offset +
			    run->glyphs->log_clusters[i];
			goto found;
		}
	} while (pango_layout_iter_next_run(iter));
found:
	pango_layout_iter_free(iter);

	start = at;
	for (n = 0; n < EXCERPT_CHARS && start > text; n++)
		start = g_utf8_prev_char(start);
	end = at;
	for (n = 0; n <= EXCERPT_CHARS && *end != '\0'; n++)
		end = g_utf8_next_char(end);

	/*
	 * The character itself shows as nothing or as a box in most
	 * terminals and logs: name it in its place.  Line breaks in an
	 * address would break the message, so the excerpt is squashed.
	 */
	raw = g_string_new(NULL);
	if (c != 0 && *at != '\0' && g_utf8_get_char(at) == c) {
		g_string_append_len(raw, start, at - start);
		g_string_append_printf(raw, "[U+%04X]", (unsigned int)c);
		at = g_utf8_next_char(at);
		g_string_append_len(raw, at, end - at);
	} else
		g_string_append_len(raw, start, end - start);
	excerpt = g_string_new(NULL);
	pdf_text(excerpt, raw->str, PDF_TEXT_SQUASH);
	g_string_free(raw, TRUE);

	doc->sink->error(doc->sink, "pdf: no installed font has a glyph for "
	    "U+%04X in \"%s%s%s\"; refusing to draw an empty box instead",
	    (unsigned int)c, start > text ? "..." : "", excerpt->str,
	    *end != '\0' ? "..." : "");
	g_string_free(excerpt, TRUE);

	return (US_PLUGIN_ERROR);
}

static int
page_next(struct pdf_doc *doc)
{
	if (page_end(doc) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	doc->page++;
	doc->y = PDF_MARGIN_TOP;
	doc->owed = 0;
	doc->fresh = 1;

	/*
	 * The running title from page 2, drawn first so that text extracted
	 * from the page starts with it: a page torn from the middle still
	 * says what it belongs to.
	 */
	if (doc->cr != NULL && doc->page > 1 && doc->running != NULL &&
	    page_line(doc, doc->running, PDF_HEADER_BASELINE) ==
	    US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	return (US_PLUGIN_OK);
}

/* One line of small grey text, centred, its baseline at y. */
static int
page_line(struct pdf_doc *doc, const char *text, double y)
{
	int	w;

	if (pdf_layout_set(doc, doc->mark, text, 1, PDF_SIZE_SMALL, -1, 0, 0,
	    0) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	pango_layout_get_size(doc->mark, &w, NULL);
	cairo_save(doc->cr);
	cairo_set_source_rgb(doc->cr, 0.35, 0.35, 0.35);
	cairo_move_to(doc->cr,
	    (PDF_PAGE_WIDTH - pango_units_to_double(w)) / 2.0,
	    y - pango_units_to_double(pango_layout_get_baseline(doc->mark)));
	pango_cairo_show_layout(doc->cr, doc->mark);
	cairo_restore(doc->cr);
	return (US_PLUGIN_OK);
}

/*
 * The footer "n / N", on the last page the signed record's digest and
 * key, then the page goes out.
 */
static int
page_end(struct pdf_doc *doc)
{
	char		buf[64];

	if (doc->cr == NULL)
		return (US_PLUGIN_OK);
	(void)snprintf(buf, sizeof(buf), "%u / %u", doc->page, doc->npages);
	if (page_line(doc, buf, PDF_FOOTER_BASELINE) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	if (doc->page == doc->npages && doc->proof != NULL &&
	    page_line(doc, doc->proof, PDF_PROOF_BASELINE) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	cairo_show_page(doc->cr);

	return (US_PLUGIN_OK);
}

/* The sink behind a cairo PDF surface; nothing more once closed. */
struct pdf_stream {
	struct us_p_sink	*sink;
	int			 failed;
	int			 closed;
};

static cairo_status_t
pdf_stream_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct pdf_stream	*stream = arg;

	if (stream->closed || stream->failed)
		return (CAIRO_STATUS_WRITE_ERROR);
	if (stream->sink->write(stream->sink, data, len) != US_PLUGIN_OK) {
		stream->failed = 1;
		return (CAIRO_STATUS_WRITE_ERROR);
	}
	return (CAIRO_STATUS_SUCCESS);
}

/*
 * Writes a document laid out by layout(doc, arg) to the sink, in two
 * passes: the first counts pages and checks glyphs, the second draws
 * onto a PDF surface whose metadata meta(surface, arg) sets.  name
 * starts error messages ("pdf", "letter").  The doc is the caller's, set
 * up with pdf_doc_init and cleaned up by it.
 */
int
pdf_doc_write(struct pdf_doc *doc, struct us_p_sink *sink, const char *name,
    int (*layout)(struct pdf_doc *, void *),
    void (*meta)(cairo_surface_t *, void *), void *arg)
{
	struct pdf_stream	 stream;
	cairo_surface_t		*surface = NULL;
	cairo_t			*cr = NULL;
	cairo_status_t		 status;
	int			 ret = US_PLUGIN_ERROR;

	memset(&stream, 0, sizeof(stream));
	stream.sink = sink;

	/* Pass one: count pages, check glyphs. */
	if (layout(doc, arg) == US_PLUGIN_ERROR ||
	    pdf_doc_finish(doc) == US_PLUGIN_ERROR)
		goto fail;

	surface = cairo_pdf_surface_create_for_stream(pdf_stream_write,
	    &stream, PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT);
	if ((status = cairo_surface_status(surface)) != CAIRO_STATUS_SUCCESS) {
		sink->error(sink, "%s: cannot create the PDF surface: %s",
		    name, cairo_status_to_string(status));
		goto fail;
	}
	meta(surface, arg);

	/* Pass two: draw. */
	cr = cairo_create(surface);
	pdf_doc_rewind(doc, cr);
	if (layout(doc, arg) == US_PLUGIN_ERROR ||
	    pdf_doc_finish(doc) == US_PLUGIN_ERROR)
		goto fail;
	if ((status = cairo_status(cr)) != CAIRO_STATUS_SUCCESS) {
		sink->error(sink, "%s: cairo: %s", name,
		    cairo_status_to_string(status));
		goto fail;
	}
	cairo_destroy(cr);
	cr = NULL;

	/* The fonts and the cross-reference table are written here. */
	cairo_surface_finish(surface);
	status = cairo_surface_status(surface);
	if (stream.failed) {
		sink->error(sink, "%s: writing the document failed", name);
		goto fail;
	}
	if (status != CAIRO_STATUS_SUCCESS) {
		sink->error(sink, "%s: cairo: %s", name,
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
	return (ret);
}
