/*
 * The measuring pass's shortcut for list entries.
 *
 * The first pass only needs each block's height, to count the pages.  A
 * signatory is one line in nearly every list, and laying it out with
 * Pango just to learn that costs as much as drawing it: shaping is the
 * larger part of the whole render.  Here the width of a name is
 * estimated from the widths of its characters, each laid out alone once
 * per render and kept in a table, so memory grows with the alphabet and
 * not with the list.
 *
 * The estimate only answers "surely one line": every character must be
 * of a script whose width does not depend on its neighbours (no marks, no
 * joining, no right-to-left text) and have a glyph; the sum must stay well
 * inside the line, so kerning and ligatures cannot push it over.  Anything
 * else is laid out for real.  Such blocks are set with a fixed line height
 * (pdf_quick_line()), in which Pango centres each font's box; the line is
 * the union of those boxes, so its height follows from each character's
 * baseline in a line of that height, measured alone and cached too.
 *
 * The drawing pass takes the same entries without a PangoLayout too: the
 * marker and the name are itemized, shaped and drawn run by run, which is
 * what a layout of one left-to-right line does, without its line breaking
 * and tab handling.  Both passes take the same decision for the same
 * entry and place it with the same height, so they agree on the pages;
 * pdf_doc_finish() still refuses a document where they do not.
 */
#include <string.h>

#include "pdf.h"

/*
 * The sum of the character widths may use this much of the line.  Over
 * 3,000 random names mixing every accepted script with kerning pairs, the
 * shaped width stayed between 0.94 and 1.006 times the sum: only the upper
 * bound matters.
 */
#define QUICK_SHARE		0.93

struct quick_char {
	int	width;		/* advance alone, Pango units */
	int	base;		/* baseline alone in a line of quick_line */
	int	known;		/* some font has a glyph */
};

static GList	*quick_shape(struct pdf_doc *, const char *, int *);
static int	 quick_baseline(struct pdf_doc *, GList *);
static void	 quick_show(struct pdf_doc *, const char *, GList *, double,
		    double);
static void	 quick_free(GList *);
static int	 quick_simple(gunichar);
static int	 quick_scan(struct pdf_doc *, const char *, int *, int *,
		    int *);
static struct quick_char *quick_char(struct pdf_doc *, gunichar);

/* Samples of the scripts the font list names, for the line height. */
static const char *const samples[] = {
	"Hg", "\u0416\u0436", "\u10D0\u10D1", "\u0531\u0561"
};

/*
 * The line height of list entries of this size: the tallest natural line
 * of the fonts in PDF_FONT_FAMILIES, so that entries in any of them are
 * spaced alike.
 */
int
pdf_quick_line(struct pdf_doc *doc, double size, int *line)
{
	PangoFontDescription	*font;
	size_t			 i;
	int			 h;

	if (doc->quick_line != 0 && doc->quick_size == size) {
		*line = doc->quick_line;
		return (US_PLUGIN_OK);
	}

	if (doc->quick_chars != NULL)
		g_hash_table_remove_all(doc->quick_chars);
	else {
		doc->quick_chars = g_hash_table_new_full(g_direct_hash,
		    g_direct_equal, NULL, g_free);
	}
	doc->quick_size = size;
	doc->quick_line = 0;

	font = pango_font_description_copy_static(doc->font);
	pango_font_description_set_size(font, (gint)(size * PANGO_SCALE));
	if (doc->quick_attrs != NULL)
		pango_attr_list_unref(doc->quick_attrs);
	doc->quick_attrs = pango_attr_list_new();
	pango_attr_list_insert(doc->quick_attrs, pango_attr_font_desc_new(font));
	pango_font_description_free(font);

	for (i = 0; i < G_N_ELEMENTS(samples); i++) {
		if (pdf_layout_set(doc, doc->mark, samples[i], 1, size, -1, 0,
		    0, 0) == US_PLUGIN_ERROR)
			return (US_PLUGIN_ERROR);
		pango_layout_get_size(doc->mark, NULL, &h);
		doc->quick_line = MAX(doc->quick_line, h);
	}

	*line = doc->quick_line;
	return (US_PLUGIN_OK);
}

/*
 * Whether marker and text (a list entry) surely make one line, the text
 * in avail points; if so, *height is that line's height.
 */
int
pdf_quick_height(struct pdf_doc *doc, const char *marker, const char *text,
    double size, double avail, int *oneline, double *height)
{
	int	line, lo, hi, sum, r;

	*oneline = 0;
	if (pdf_quick_line(doc, size, &line) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	/* The marker sits in the gutter: its baseline counts, not its width. */
	lo = G_MAXINT;
	hi = sum = 0;
	if ((r = quick_scan(doc, marker, &lo, &hi, &sum)) != 1)
		return (r == US_PLUGIN_ERROR ? US_PLUGIN_ERROR : US_PLUGIN_OK);
	sum = 0;
	if ((r = quick_scan(doc, text, &lo, &hi, &sum)) != 1)
		return (r == US_PLUGIN_ERROR ? US_PLUGIN_ERROR : US_PLUGIN_OK);
	if (sum > avail * QUICK_SHARE * PANGO_SCALE)
		return (US_PLUGIN_OK);

	*oneline = 1;
	*height = pango_units_to_double(line + (lo <= hi ? hi - lo : 0));
	return (US_PLUGIN_OK);
}

/*
 * Draw a one-line entry that pdf_quick_height() accepted: the marker
 * ending at right, the text from left, the line's top at top.
 */
void
pdf_quick_draw(struct pdf_doc *doc, const char *marker, const char *text,
    double right, double left, double top)
{
	GList		*mruns, *truns;
	int		 mwidth, twidth, base;

	mruns = quick_shape(doc, marker, &mwidth);
	truns = quick_shape(doc, text, &twidth);

	base = MAX(quick_baseline(doc, mruns), quick_baseline(doc, truns));
	top += pango_units_to_double(base);
	quick_show(doc, marker, mruns, right - pango_units_to_double(mwidth),
	    top);
	quick_show(doc, text, truns, left, top);

	quick_free(mruns);
	quick_free(truns);
}

void
pdf_quick_cleanup(struct pdf_doc *doc)
{
	if (doc->quick_chars != NULL)
		g_hash_table_destroy(doc->quick_chars);
	if (doc->quick_attrs != NULL)
		pango_attr_list_unref(doc->quick_attrs);
	doc->quick_chars = NULL;
	doc->quick_attrs = NULL;
	doc->quick_line = 0;
}

/*
 * Where Pango puts the baseline in a line of the fixed height: each run's
 * font is centred in the line and the lowest baseline wins.
 */
static int
quick_baseline(struct pdf_doc *doc, GList *runs)
{
	PangoGlyphItem	*run;
	PangoRectangle	 logical;
	GList		*l;
	int		 base, leading;

	base = 0;
	for (l = runs; l != NULL; l = l->next) {
		run = l->data;
		pango_glyph_string_extents(run->glyphs,
		    run->item->analysis.font, NULL, &logical);
		leading = doc->quick_line - logical.height;
		base = MAX(base, leading / 2 - logical.y);
	}

	return (base);
}

/* Itemize and shape text: glyph items in order, and their total width. */
static GList *
quick_shape(struct pdf_doc *doc, const char *text, int *width)
{
	PangoGlyphItem	*run;
	PangoShapeFlags	 flags;
	GList		*items, *l;
	int		 len;

	/* As a layout of this context would shape it. */
	flags = pango_context_get_round_glyph_positions(doc->pango) ?
	    PANGO_SHAPE_ROUND_POSITIONS : PANGO_SHAPE_NONE;
	len = (int)strlen(text);
	*width = 0;
	items = pango_itemize(doc->pango, text, 0, len, doc->quick_attrs,
	    NULL);
	for (l = items; l != NULL; l = l->next) {
		run = g_slice_new0(PangoGlyphItem);
		run->item = l->data;
		run->glyphs = pango_glyph_string_new();
		pango_shape_with_flags(text + run->item->offset,
		    run->item->length, text, len, &run->item->analysis,
		    run->glyphs, flags);
		*width += pango_glyph_string_get_width(run->glyphs);
		l->data = run;
	}

	return (items);
}

static void
quick_show(struct pdf_doc *doc, const char *text, GList *runs, double x,
    double baseline)
{
	PangoGlyphItem	*run;
	GList		*l;

	for (l = runs; l != NULL; l = l->next) {
		run = l->data;
		cairo_move_to(doc->cr, x, baseline);
		pango_cairo_show_glyph_item(doc->cr, text, run);
		x += pango_units_to_double(
		    pango_glyph_string_get_width(run->glyphs));
	}
}

static void
quick_free(GList *runs)
{
	GList	*l;

	for (l = runs; l != NULL; l = l->next)
		pango_glyph_item_free(l->data);
	g_list_free(runs);
}

/*
 * Fold the characters of s into the lowest and highest baselines and the
 * sum of widths: 1, or 0 when one of them is not for the shortcut, or
 * US_PLUGIN_ERROR.
 */
static int
quick_scan(struct pdf_doc *doc, const char *s, int *lo, int *hi, int *sum)
{
	struct quick_char	*qc;
	gunichar		 c;

	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		c = g_utf8_get_char(s);
		if (!quick_simple(c))
			return (0);
		if ((qc = quick_char(doc, c)) == NULL)
			return (US_PLUGIN_ERROR);
		if (!qc->known)
			return (0);
		*lo = MIN(*lo, qc->base);
		*hi = MAX(*hi, qc->base);
		*sum += qc->width;
	}

	return (1);
}

/* A character's measures, laid out alone once per render; NULL on error. */
static struct quick_char *
quick_char(struct pdf_doc *doc, gunichar c)
{
	struct quick_char	*qc;
	char			 utf8[8];
	int			 n;

	qc = g_hash_table_lookup(doc->quick_chars, GUINT_TO_POINTER(c));
	if (qc != NULL)
		return (qc);

	n = g_unichar_to_utf8(c, utf8);
	utf8[n] = '\0';
	if (pdf_layout_set(doc, doc->mark, utf8, 1, doc->quick_size, -1, 0, 0,
	    doc->quick_line) == US_PLUGIN_ERROR)
		return (NULL);
	qc = g_new0(struct quick_char, 1);
	pango_layout_get_size(doc->mark, &qc->width, NULL);
	qc->base = pango_layout_get_baseline(doc->mark);
	qc->known = pango_layout_get_unknown_glyphs_count(doc->mark) == 0;
	g_hash_table_insert(doc->quick_chars, GUINT_TO_POINTER(c), qc);

	return (qc);
}

/*
 * Letters whose advance is the same alone and among others: Latin,
 * Greek, Cyrillic, Armenian and Georgian letters, digits, punctuation and
 * symbols of those blocks.  Combining marks, soft hyphens, spaces other
 * than U+0020/U+00A0, bidirectional controls and every other script stay
 * out.
 */
static int
quick_simple(gunichar c)
{
	if (c < 0x20)
		return (0);
	if (c < 0x7F)
		return (1);
	if (c < 0xA0 || c == 0xAD)
		return (0);
	if (c < 0x300)
		return (1);			/* Latin-1, Extended-A/B, IPA */
	if (c < 0x370)
		return (0);			/* combining diacritics */
	if (c < 0x483)
		return (1);			/* Greek, Cyrillic */
	if (c < 0x48A)
		return (0);			/* Cyrillic combining */
	if (c < 0x530)
		return (1);
	if (c < 0x590)
		return (1);			/* Armenian */
	if (c >= 0x10A0 && c < 0x1100)
		return (1);			/* Georgian */
	if (c >= 0x1C90 && c < 0x1CC0)
		return (1);			/* Georgian Mtavruli */
	if (c >= 0x1E00 && c < 0x2000)
		return (1);			/* Latin and Greek extended */
	if (c >= 0x2010 && c < 0x2028)
		return (1);			/* dashes, quotes, bullets */
	if (c >= 0x2030 && c < 0x205F)
		return (1);			/* per mille, primes */
	if (c >= 0x20A0 && c < 0x20C1)
		return (1);			/* currency */
	if (c >= 0x2100 && c < 0x2150)
		return (1);			/* letterlike */
	if (c >= 0x2D00 && c < 0x2D30)
		return (1);			/* Georgian supplement */

	return (0);
}
