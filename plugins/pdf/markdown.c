/*
 * The statement body, from the CommonMark AST.
 *
 * The AST rather than body_html: it tells a list item from a paragraph
 * without parsing HTML again, and raw HTML never has to be sanitised
 * because it is simply not drawn.  Both walks (blocks here, inlines in
 * inline_markup()) use cmark's iterator instead of recursion, so a body of
 * ten thousand nested quotes cannot exhaust the stack; indentation stops
 * growing after MAX_DEPTH levels so text never runs out of width.
 */
#include <stdio.h>
#include <string.h>

#include "pdf.h"

#define MAX_DEPTH		12
#define LIST_INDENT		18.0
#define QUOTE_INDENT		16.0
#define MARKER_ROOM		9.0	/* gap and air around a number */

struct level {
	int		 quote;
	int		 ordered;
	int		 next;		/* number of the next item */
	char		 delim;		/* '.' or ')' */
	int		 nlists;	/* lists open up to this one */
	double		 indent;
};

struct walk {
	struct pdf_doc	*doc;
	struct level	 levels[MAX_DEPTH];
	int		 depth;		/* may exceed MAX_DEPTH */
	GString		*markup;
	GString		*marker;
	int		 pending;	/* marker waits for a block */
};

static const char *const bullets[] = { "\u2022", "\u25e6", "\u2013" };

static int	 level_push(struct walk *, cmark_node *);
static void	 level_pop(struct walk *);
static double	 indent(const struct walk *);
static double	 hang(const struct walk *);
static int	 item(struct walk *);
static int	 flush(struct walk *);
static int	 paragraph(struct walk *, cmark_node *);
static int	 heading(struct walk *, cmark_node *);
static int	 code(struct walk *, cmark_node *);
static int	 emit(struct walk *, double, double, double, double, int);
static void	 inline_markup(GString *, cmark_node *);
static void	 link_target(GString *, cmark_node *);
static int	 safe_url(const char *);

int
pdf_markdown(struct pdf_doc *doc, cmark_node *root)
{
	struct walk		 w;
	cmark_iter		*iter;
	cmark_node		*node;
	cmark_event_type	 ev;
	int			 ret;

	if (root == NULL)
		return (US_PLUGIN_OK);

	memset(&w, 0, sizeof(w));
	w.doc = doc;
	w.markup = g_string_new(NULL);
	w.marker = g_string_new(NULL);
	iter = cmark_iter_new(root);
	ret = US_PLUGIN_ERROR;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(iter);

		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_LIST:
		case CMARK_NODE_BLOCK_QUOTE:
			if (ev == CMARK_EVENT_EXIT) {
				/* A tight list still ends like a paragraph. */
				level_pop(&w);
				pdf_space(doc, 6.0);
				break;
			}
			if (flush(&w) == US_PLUGIN_ERROR ||
			    level_push(&w, node) == US_PLUGIN_ERROR)
				goto fail;
			break;
		case CMARK_NODE_ITEM:
			/*
			 * An item with nothing left to draw (raw HTML only)
			 * loses its bullet too.
			 */
			if (ev == CMARK_EVENT_EXIT)
				w.pending = 0;
			else if (item(&w) == US_PLUGIN_ERROR)
				goto fail;
			break;
		case CMARK_NODE_PARAGRAPH:
			if (paragraph(&w, node) == US_PLUGIN_ERROR)
				goto fail;
			/* Its inlines are done: go past them. */
			cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_HEADING:
			if (heading(&w, node) == US_PLUGIN_ERROR)
				goto fail;
			cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_CODE_BLOCK:
			if (code(&w, node) == US_PLUGIN_ERROR)
				goto fail;
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			if (flush(&w) == US_PLUGIN_ERROR ||
			    pdf_rule(doc, indent(&w)) == US_PLUGIN_ERROR)
				goto fail;
			break;
		default:
			/* Raw HTML blocks are dropped on purpose. */
			break;
		}
	}

	ret = US_PLUGIN_OK;

fail:
	cmark_iter_free(iter);
	g_string_free(w.markup, TRUE);
	g_string_free(w.marker, TRUE);

	return (ret);
}

static int
level_push(struct walk *w, cmark_node *node)
{
	struct level	*l, *up;
	cmark_node	*child;
	char		 buf[32];
	double		 width;
	int		 n;

	if (w->depth++ >= MAX_DEPTH)
		return (US_PLUGIN_OK);

	l = &w->levels[w->depth - 1];
	up = (w->depth > 1) ? &w->levels[w->depth - 2] : NULL;
	memset(l, 0, sizeof(*l));
	l->nlists = up != NULL ? up->nlists : 0;

	if (cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE) {
		l->quote = 1;
		l->indent = QUOTE_INDENT;
		return (US_PLUGIN_OK);
	}

	l->nlists++;
	l->indent = LIST_INDENT;
	if (cmark_node_get_list_type(node) != CMARK_ORDERED_LIST)
		return (US_PLUGIN_OK);

	l->ordered = 1;
	l->next = cmark_node_get_list_start(node);
	l->delim = (cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM) ?
	    ')' : '.';

	/* Room for the widest number, "1000." included. */
	n = 0;
	for (child = cmark_node_first_child(node); child != NULL;
	    child = cmark_node_next(child))
		n++;
	(void)snprintf(buf, sizeof(buf), "%d%c", l->next + n, l->delim);
	if (pdf_measure(w->doc, buf, PDF_SIZE_BODY, &width) ==
	    US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);
	l->indent = MAX(LIST_INDENT, width + MARKER_ROOM);

	return (US_PLUGIN_OK);
}

static void
level_pop(struct walk *w)
{
	if (w->depth > 0)
		w->depth--;
}

static double
indent(const struct walk *w)
{
	double		sum;
	int		i;

	sum = 0;
	for (i = 0; i < w->depth && i < MAX_DEPTH; i++)
		sum += w->levels[i].indent;

	return (sum);
}

/* The innermost level's gutter, where a marker hangs. */
static double
hang(const struct walk *w)
{
	if (w->depth == 0)
		return (0);

	return (w->levels[MIN(w->depth, MAX_DEPTH) - 1].indent);
}

/* A list item: its marker goes with the first block inside it. */
static int
item(struct walk *w)
{
	struct level	*l;

	/* "- - x": the outer item has no block of its own. */
	if (flush(w) == US_PLUGIN_ERROR)
		return (US_PLUGIN_ERROR);

	g_string_truncate(w->marker, 0);
	l = (w->depth > 0 && w->depth <= MAX_DEPTH) ?
	    &w->levels[w->depth - 1] : NULL;

	if (l != NULL && l->ordered) {
		g_string_append_printf(w->marker, "%d%c", l->next, l->delim);
		l->next++;
	} else {
		g_string_append(w->marker, bullets[(l != NULL && l->nlists > 0 ?
		    l->nlists - 1 : 0) % (sizeof(bullets) / sizeof(bullets[0]))]);
	}

	w->pending = 1;
	return (US_PLUGIN_OK);
}

/* An item whose first block is a list ("- - x") keeps its mark alone. */
static int
flush(struct walk *w)
{
	if (!w->pending)
		return (US_PLUGIN_OK);

	g_string_truncate(w->markup, 0);
	return (emit(w, PDF_SIZE_BODY, 0, 2.0, 0, 0));
}

static int
paragraph(struct walk *w, cmark_node *node)
{
	cmark_node	*parent;
	double		 after;

	/* Items of a tight list sit closer together. */
	after = 6.0;
	parent = cmark_node_parent(node);
	if (parent != NULL && cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
	    cmark_node_get_list_tight(cmark_node_parent(parent)))
		after = 2.0;

	g_string_truncate(w->markup, 0);
	inline_markup(w->markup, node);

	return (emit(w, PDF_SIZE_BODY, 0, after, 0, 0));
}

static int
heading(struct walk *w, cmark_node *node)
{
	static const double	sizes[] = { 16.0, 13.5, 12.0, 11.0, 10.5, 10.5 };
	int			level;

	level = cmark_node_get_heading_level(node);
	if (level < 1 || level > 6)
		level = 6;

	g_string_truncate(w->markup, 0);
	g_string_append(w->markup, "<b>");
	inline_markup(w->markup, node);
	g_string_append(w->markup, "</b>");

	/* keep: a heading never ends a page alone. */
	return (emit(w, sizes[level - 1], 12.0, 4.0, 30.0, 0));
}

static int
code(struct walk *w, cmark_node *node)
{
	const char	*literal;
	size_t		 len;

	g_string_truncate(w->markup, 0);
	if ((literal = cmark_node_get_literal(node)) != NULL) {
		pdf_text(w->markup, literal,
		    PDF_TEXT_ESCAPE | PDF_TEXT_NEWLINES | PDF_TEXT_TABS);
	}

	/* The fence's last line break is not a line of its own. */
	len = w->markup->len;
	if (len >= 3 && memcmp(w->markup->str + len - 3, "\u2028", 3) == 0)
		g_string_truncate(w->markup, len - 3);

	return (emit(w, PDF_SIZE_CODE, 6.0, 6.0, 0, 1));
}

static int
emit(struct walk *w, double size, double before, double after, double keep,
    int mono)
{
	struct pdf_block	b;

	memset(&b, 0, sizeof(b));
	b.markup = w->markup->str;
	b.marker = w->pending ? w->marker->str : NULL;
	b.size = size;
	b.indent = indent(w);
	b.hang = hang(w);
	b.before = before;
	b.after = after;
	b.keep = keep;
	b.mono = mono;
	w->pending = 0;

	return (pdf_block(w->doc, &b));
}

/* The inlines of one paragraph or heading, as Pango markup. */
static void
inline_markup(GString *out, cmark_node *block)
{
	cmark_iter		*iter;
	cmark_node		*node;
	cmark_event_type	 ev;
	int			 enter;

	iter = cmark_iter_new(block);
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(iter);
		enter = (ev == CMARK_EVENT_ENTER);

		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
			pdf_text(out, cmark_node_get_literal(node),
			    PDF_TEXT_ESCAPE);
			break;
		case CMARK_NODE_CODE:
			g_string_append(out,
			    "<span font_family=\"" PDF_MONO_FAMILIES "\">");
			pdf_text(out, cmark_node_get_literal(node),
			    PDF_TEXT_ESCAPE);
			g_string_append(out, "</span>");
			break;
		case CMARK_NODE_SOFTBREAK:
			g_string_append_c(out, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			/* Within the paragraph: see pdf_text(). */
			g_string_append(out, "\u2028");
			break;
		case CMARK_NODE_EMPH:
			g_string_append(out, enter ? "<i>" : "</i>");
			break;
		case CMARK_NODE_STRONG:
			g_string_append(out, enter ? "<b>" : "</b>");
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (!enter)
				link_target(out, node);
			break;
		default:
			/* Inline HTML is dropped like HTML blocks. */
			break;
		}
	}
	cmark_iter_free(iter);
}

/*
 * Paper has no links: show where one goes, "text (URL)", except for an
 * autolink whose text already is the URL.  A javascript: or similar
 * target shows its text only, as on the web page, where cmark's safe
 * mode empties it (in the HTML renderer only: the AST keeps it).
 */
static void
link_target(GString *out, cmark_node *link)
{
	cmark_node	*child;
	const char	*url, *text;

	url = cmark_node_get_url(link);
	if (url == NULL || *url == '\0' || !safe_url(url))
		return;

	child = cmark_node_first_child(link);
	if (child != NULL && cmark_node_next(child) == NULL &&
	    cmark_node_get_type(child) == CMARK_NODE_TEXT &&
	    (text = cmark_node_get_literal(child)) != NULL) {
		if (strcmp(text, url) == 0)
			return;
		if (strncmp(url, "mailto:", 7) == 0 && strcmp(text, url + 7) == 0)
			return;
	}

	g_string_append(out, child != NULL ? " (" : "(");
	pdf_text(out, url, PDF_TEXT_ESCAPE);
	g_string_append_c(out, ')');
}

/* cmark's own rule (scan_dangerous_url), so both outputs agree. */
static int
safe_url(const char *url)
{
	static const char *const unsafe[] = {
		"javascript:", "vbscript:", "file:", "data:"
	};
	static const char *const images[] = {
		"data:image/png", "data:image/gif", "data:image/jpeg",
		"data:image/webp"
	};
	size_t		i;

	for (i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		if (g_ascii_strncasecmp(url, images[i],
		    strlen(images[i])) == 0)
			return (1);
	}
	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
		if (g_ascii_strncasecmp(url, unsafe[i],
		    strlen(unsafe[i])) == 0)
			return (0);
	}

	return (1);
}
