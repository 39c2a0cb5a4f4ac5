/*
 * Private header of the PDF output plugin.
 *
 * pdf.c	the plugin descriptor and render(): two passes, the cairo
 *		stream into the sink, the document metadata.
 * page.c	the page engine: places blocks of Pango markup line by line,
 *		breaks pages, draws the running title from page 2, the
 *		"n / N" footer and the signed record's line on the last
 *		page, refuses tofu.
 * quick.c	the shortcut for list entries that surely fit one line:
 *		measured from cached character widths, drawn without a
 *		PangoLayout.
 * content.c	what goes on the pages, in order: heading, body,
 *		addressees, signatories.
 * markdown.c	the body: walks the CommonMark AST into blocks.
 * text.c	text that enters Pango markup: control characters, escaping,
 *		dates.
 *
 * Everything is laid out twice with the same code: once without a cairo
 * context to count the pages (and to find missing glyphs before a byte is
 * written), once to draw.  Both passes see the same layouts, so they break
 * pages at the same places.  List entries that quick.c takes without a
 * layout take that path in both passes, with the same height.
 */
#ifndef PDF_H
#define PDF_H

#include <cairo.h>
#include <cmark.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include "undersigned-plugin.h"

/* A4 in PostScript points; one user unit is one point. */
#define PDF_PAGE_WIDTH		595.276
#define PDF_PAGE_HEIGHT		841.890
#define PDF_MARGIN_LEFT		64.0
#define PDF_MARGIN_RIGHT	64.0
#define PDF_MARGIN_TOP		64.0
#define PDF_MARGIN_BOTTOM	72.0	/* the footer sits in it */
#define PDF_FOOTER_BASELINE	(PDF_PAGE_HEIGHT - 38.0)
#define PDF_PROOF_BASELINE	(PDF_PAGE_HEIGHT - 52.0)
#define PDF_HEADER_BASELINE	40.0
#define PDF_RUNNING_CHARS	80	/* of the title, then "…" */
#define PDF_TEXT_WIDTH		\
	(PDF_PAGE_WIDTH - PDF_MARGIN_LEFT - PDF_MARGIN_RIGHT)
#define PDF_TEXT_BOTTOM		(PDF_PAGE_HEIGHT - PDF_MARGIN_BOTTOM)

/*
 * Noto Sans covers Latin, Greek and Cyrillic; Georgian and Armenian live in
 * their own Noto families; DejaVu Sans catches what is left.  Fontconfig
 * still falls back to any other installed font (Arabic, for instance), and
 * page.c refuses the render when no font at all has a glyph.
 */
#define PDF_FONT_FAMILIES	\
	"Noto Sans, Noto Sans Georgian, Noto Sans Armenian, DejaVu Sans"
#define PDF_MONO_FAMILIES	"DejaVu Sans Mono, Noto Sans Mono"

#define PDF_MARKER_GAP		5.0	/* a marker's end to its text */

#define PDF_SIZE_BODY		10.5
#define PDF_SIZE_SMALL		8.5
#define PDF_SIZE_CODE		9.0
#define PDF_SIZE_TITLE		20.0
#define PDF_SIZE_SECTION	13.5

struct pdf_doc {
	struct us_p_sink	*sink;
	PangoFontMap		*fontmap;	/* this thread's, kept */
	PangoContext		*pango;
	PangoFontDescription	*font;
	PangoFontDescription	*mono;
	PangoLayout		*text;		/* reused for every block */
	PangoLayout		*mark;		/* footer, measuring */
	PangoAttrList		*plain;		/* attributes of plain text */
	GString			*scratch;	/* marker and text joined */

	/* quick.c: character widths for the measuring pass. */
	GHashTable		*quick_chars;
	PangoAttrList		*quick_attrs;	/* the font, for itemizing */
	double			 quick_size;
	int			 quick_line;	/* Pango units */

	/* NULL in the measuring pass, the PDF page in the drawing pass. */
	cairo_t			*cr;

	char			*running;	/* header from page 2 */
	char			*proof;		/* last page: the record */

	unsigned int		 page;		/* 0 before the first */
	unsigned int		 npages;	/* 0 until measured */
	int			 fresh;		/* nothing on this page yet */
	double			 y;		/* top of the free space */
	double			 owed;		/* space after the last block */
};

struct pdf_block {
	const char	*markup;	/* Pango markup, text escaped */
	int		 plain;		/* markup is plain text instead */
	const char	*marker;	/* list number or bullet, plain */
	double		 size;		/* font size in points */
	double		 indent;	/* from the left margin */
	double		 hang;		/* the marker's gutter left of it */
	double		 before;	/* space above, collapses with after */
	double		 after;
	double		 keep;		/* room wanted below, for headings */
	int		 mono;
	int		 uniform;	/* plain list entry: see quick.c */
};

/* page.c */
int	pdf_doc_init(struct pdf_doc *, struct us_p_sink *, const char *);
void	pdf_doc_cleanup(struct pdf_doc *);
void	pdf_fontmap_release(void);
void	pdf_doc_rewind(struct pdf_doc *, cairo_t *);
int	pdf_block(struct pdf_doc *, const struct pdf_block *);
int	pdf_rule(struct pdf_doc *, double);
void	pdf_space(struct pdf_doc *, double);
int	pdf_page_break(struct pdf_doc *);
int	pdf_measure(struct pdf_doc *, const char *, double, double *);
int	pdf_doc_finish(struct pdf_doc *);
int	pdf_doc_write(struct pdf_doc *, struct us_p_sink *, const char *,
	    int (*)(struct pdf_doc *, void *),
	    void (*)(cairo_surface_t *, void *), void *);
int	pdf_layout_set(struct pdf_doc *, PangoLayout *, const char *, int,
	    double, double, int, size_t, int);

/* quick.c */
int	pdf_quick_line(struct pdf_doc *, double, int *);
int	pdf_quick_height(struct pdf_doc *, const char *, const char *, double,
	    double, int *, double *);
void	pdf_quick_draw(struct pdf_doc *, const char *, const char *, double,
	    double, double);
void	pdf_quick_cleanup(struct pdf_doc *);

/* content.c */
int	pdf_content(struct pdf_doc *, const struct us_p_statement *,
	    cmark_node *);

/* markdown.c */
int	pdf_markdown(struct pdf_doc *, cmark_node *);

/* text.c */
#define PDF_TEXT_ESCAPE		0x01	/* for Pango markup */
#define PDF_TEXT_NEWLINES	0x02	/* keep line breaks */
#define PDF_TEXT_TABS		0x04	/* keep tabs */
#define PDF_TEXT_SQUASH		0x08	/* one space for runs, trimmed */

void	pdf_text(GString *, const char *, int);
void	pdf_text_date(GString *, const struct us_p_statement *,
	    const char *);
int	pdf_text_iso8601(char *, size_t, const char *);

#endif
