#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "card.h"
#include "token.h"

/*
 * Bumped whenever the drawing changes, so that every card cached by a
 * crawler under an old revision is fetched again.
 */
#define CARD_DRAWING	"card-1"

#define CARD_MARGIN	72
#define CARD_TEXT_W	(US_CARD_WIDTH - 2 * CARD_MARGIN)
#define CARD_FAMILIES	"Noto Sans, Noto Sans Georgian, Noto Sans Armenian, " \
			"DejaVu Sans"
#define CARD_TITLE_TOP	56
#define CARD_TITLE_H	300	/* above the count at US_CARD_HEIGHT - 250 */

static void	card_rgb(cairo_t *, unsigned int);
static PangoLayout *card_text(cairo_t *, const char *, const char *, int,
		    int);
static void	card_show(cairo_t *, PangoLayout *, double, double);
static cairo_status_t card_write(void *, const unsigned char *,
		    unsigned int);

/*
 * What a card looks like, as a short digest: the same inputs draw the
 * same picture, so the revision names the picture in its URL and a
 * crawler may keep it for good.
 */
void
us_card_revision(const struct us_card *c, char out[US_CARD_REV_LEN + 1])
{
	struct us_buf	b;
	unsigned char	h[US_HASH_LEN];

	us_buf_init(&b);
	/* Fields apart by a byte no text field holds (validate.c). */
	us_buf_appendf(&b, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%ld\x1f%ld",
	    CARD_DRAWING, c->title != NULL ? c->title : "",
	    c->count_text != NULL ? c->count_text : "",
	    c->by != NULL ? c->by : "", c->site != NULL ? c->site : "",
	    c->lang != NULL ? c->lang : "", c->count, c->goal);
	us_sha256(b.data, b.len, h);
	us_buf_free(&b);
	us_hex(h, US_CARD_REV_LEN / 2, out);
	out[US_CARD_REV_LEN] = '\0';
}

static void
card_rgb(cairo_t *cr, unsigned int rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0,
	    ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* One block of text, px pixels high, wrapped at words into the width. */
static PangoLayout *
card_text(cairo_t *cr, const char *s, const char *lang, int px, int bold)
{
	PangoLayout		*l;
	PangoFontDescription	*fd;

	l = pango_cairo_create_layout(cr);
	if (lang != NULL)
		pango_context_set_language(pango_layout_get_context(l),
		    pango_language_from_string(lang));
	fd = pango_font_description_new();
	pango_font_description_set_family(fd, CARD_FAMILIES);
	pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, CARD_TEXT_W * PANGO_SCALE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, s, -1);
	return (l);
}

static void
card_show(cairo_t *cr, PangoLayout *l, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

static cairo_status_t
card_write(void *arg, const unsigned char *data, unsigned int len)
{
	us_buf_append(arg, data, len);
	return (CAIRO_STATUS_SUCCESS);
}

/*
 * Draws the card into out as PNG.  A long title gets a smaller size
 * before it is cut with an ellipsis after four lines; a title in a
 * script no installed font covers is refused rather than drawn as boxes.
 */
int
us_card_png(const struct us_card *c, struct us_buf *out,
    struct us_error *err)
{
	static const int	 sizes[] = { 64, 54, 46 };
	cairo_surface_t		*sf;
	cairo_t			*cr;
	PangoLayout		*l = NULL;
	PangoRectangle		 ink, log;
	cairo_status_t		 st;
	double			 y, fill;
	size_t			 i;
	int			 ok = US_FAIL;

	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, US_CARD_WIDTH,
	    US_CARD_HEIGHT);
	cr = cairo_create(sf);
	card_rgb(cr, 0x14365d);
	cairo_paint(cr);
	/* A band on the left, as the page's accent. */
	card_rgb(cr, 0xffd166);
	cairo_rectangle(cr, 0, 0, 16, US_CARD_HEIGHT);
	cairo_fill(cr);

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (l != NULL)
			g_object_unref(l);
		l = card_text(cr, c->title != NULL ? c->title : "", c->lang,
		    sizes[i], 1);
		pango_layout_get_pixel_extents(l, &ink, &log);
		if (log.height <= CARD_TITLE_H)
			break;
	}
	if (log.height > CARD_TITLE_H) {
		pango_layout_set_height(l, CARD_TITLE_H * PANGO_SCALE);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	if (pango_layout_get_unknown_glyphs_count(l) > 0) {
		us_error_set(err, US_E_INTERNAL, NULL, "card_font",
		    "no installed font can draw the title of this statement");
		goto done;
	}
	card_rgb(cr, 0xffffff);
	card_show(cr, l, CARD_MARGIN, CARD_TITLE_TOP);
	g_object_unref(l);
	l = NULL;

	y = US_CARD_HEIGHT - 250;
	if (c->count_text != NULL) {
		l = card_text(cr, c->count_text, NULL, 40, 1);
		pango_layout_set_height(l, -1);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_get_pixel_extents(l, &ink, &log);
		card_rgb(cr, 0xffd166);
		card_show(cr, l, CARD_MARGIN, y);
		y += log.height + 16;
		g_object_unref(l);
		l = NULL;
	}
	if (c->goal > 0) {
		fill = c->count >= c->goal ? 1.0 : (double)c->count / c->goal;
		card_rgb(cr, 0x0b2340);
		cairo_rectangle(cr, CARD_MARGIN, y, CARD_TEXT_W, 20);
		cairo_fill(cr);
		card_rgb(cr, 0xffd166);
		cairo_rectangle(cr, CARD_MARGIN, y, CARD_TEXT_W * fill, 20);
		cairo_fill(cr);
		y += 40;
	}
	if (c->by != NULL) {
		l = card_text(cr, c->by, c->lang, 30, 0);
		pango_layout_set_height(l, -1);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		card_rgb(cr, 0xffffff);
		card_show(cr, l, CARD_MARGIN, y);
		g_object_unref(l);
		l = NULL;
	}
	if (c->site != NULL) {
		l = card_text(cr, c->site, NULL, 26, 0);
		pango_layout_set_height(l, -1);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		card_rgb(cr, 0xc9d6e8);
		card_show(cr, l, CARD_MARGIN, US_CARD_HEIGHT - 72);
		g_object_unref(l);
		l = NULL;
	}
	cairo_surface_flush(sf);
	if ((st = cairo_surface_write_to_png_stream(sf, card_write, out)) !=
	    CAIRO_STATUS_SUCCESS) {
		us_error_set(err, US_E_INTERNAL, NULL, "card_png",
		    "cannot write the share card: %s",
		    cairo_status_to_string(st));
		goto done;
	}
	ok = US_OK;
done:
	if (l != NULL)
		g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	return (ok);
}
