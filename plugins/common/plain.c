/*
 * What a reader of an email or a newswire sees of a CommonMark text:
 * emphasis goes, links keep their address in parentheses, lists keep
 * their markers and indentation, quotes get "> ", code is indented.  Raw
 * HTML is dropped, as the web page drops it (CMARK_OPT_SAFE), so that the
 * text says what the signatories read.  Lines are not wrapped: mail
 * readers and editors wrap for themselves.
 *
 * The walk uses cmark's iterator and a heap stack, not recursion: a text
 * nested thousands of quotes deep must not exhaust a thread's stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "plain.h"

enum plain_kind {
	PLAIN_QUOTE,
	PLAIN_LIST,
	PLAIN_ITEM,
};

/* What each open container puts at the start of a line. */
struct plain_level {
	enum plain_kind	 kind;
	int		 next;		/* list: the next item's number */
	size_t		 indent;	/* item: width of its marker */
	char		 marker[24];	/* item: "12. " or "- " */
	int		 pending;	/* item: marker not written yet */
};

struct plain {
	struct us_out		*o;
	struct plain_level	*lv;
	size_t			 nlv, cap;
	int			 bol;		/* at the beginning of a line */
	int			 started;	/* a block has been written */
};

static int	plain_push(struct plain *, enum plain_kind);
static void	plain_text(struct plain *, const char *, size_t);
static void	plain_newline(struct plain *);
static void	plain_blank(struct plain *);
static void	plain_block(struct plain *, cmark_node *);
static int	plain_blank_before(cmark_node *);
static int	plain_item(struct plain *, cmark_node *);
static void	plain_code(struct plain *, const char *);
static void	plain_link_end(struct plain *, cmark_node *);
static int	plain_node(struct plain *, cmark_node *, cmark_event_type);

static const char	plain_spaces[] = "                        ";

static int
plain_push(struct plain *p, enum plain_kind kind)
{
	struct plain_level	*lv;
	size_t			 cap;

	if (p->nlv == p->cap) {
		cap = p->cap == 0 ? 8 : p->cap * 2;
		if ((lv = reallocarray(p->lv, cap, sizeof(*lv))) == NULL) {
			us_out_fail(p->o, "out of memory");
			return (0);
		}
		p->lv = lv;
		p->cap = cap;
	}
	memset(&p->lv[p->nlv], 0, sizeof(p->lv[p->nlv]));
	p->lv[p->nlv++].kind = kind;
	return (1);
}

static void
plain_text(struct plain *p, const char *s, size_t len)
{
	struct plain_level	*lv;
	size_t			 i;

	if (len == 0)
		return;
	if (p->bol) {
		for (i = 0; i < p->nlv; i++) {
			lv = &p->lv[i];
			if (lv->kind == PLAIN_QUOTE)
				us_out_write(p->o, "> ", 2);
			else if (lv->kind == PLAIN_ITEM && lv->pending) {
				us_out_puts(p->o, lv->marker);
				lv->pending = 0;
			} else if (lv->kind == PLAIN_ITEM)
				us_out_write(p->o, plain_spaces, lv->indent);
		}
		p->bol = 0;
	}
	us_out_write(p->o, s, len);
}

static void
plain_newline(struct plain *p)
{
	us_out_write(p->o, "\n", 1);
	p->bol = 1;
}

/*
 * A blank line between blocks, which inside a quote still carries its
 * markers ("> >"), so that the quote reads as one.
 */
static void
plain_blank(struct plain *p)
{
	size_t	i, last = 0, quoted = 0;

	for (i = 0; i < p->nlv; i++) {
		if (p->lv[i].kind == PLAIN_QUOTE) {
			quoted = 1;
			last = i;
		}
	}
	for (i = 0; quoted && i <= last; i++) {
		if (p->lv[i].kind == PLAIN_QUOTE)
			us_out_puts(p->o, i == last ? ">" : "> ");
		else if (p->lv[i].kind == PLAIN_ITEM)
			us_out_write(p->o, plain_spaces, p->lv[i].indent);
	}
	plain_newline(p);
}

/*
 * Whether a block is set off by a blank line: not the first block of an
 * item (it shares the marker's line) or of a quote, not a block inside a
 * tight list's item.
 */
static int
plain_blank_before(cmark_node *node)
{
	cmark_node	*parent;

	parent = cmark_node_parent(node);
	if (cmark_node_previous(node) == NULL &&
	    (cmark_node_get_type(parent) == CMARK_NODE_ITEM ||
	    cmark_node_get_type(parent) == CMARK_NODE_BLOCK_QUOTE))
		return (0);
	if (cmark_node_get_type(parent) == CMARK_NODE_ITEM)
		return (!cmark_node_get_list_tight(cmark_node_parent(parent)));
	return (1);
}

static void
plain_block(struct plain *p, cmark_node *node)
{
	if (!p->bol)
		plain_newline(p);
	if (p->started && plain_blank_before(node))
		plain_blank(p);
	p->started = 1;
}

static int
plain_item(struct plain *p, cmark_node *node)
{
	struct plain_level	*list, *item;
	cmark_node		*parent;
	int			 n;

	parent = cmark_node_parent(node);
	if (cmark_node_previous(node) != NULL) {
		if (!p->bol)
			plain_newline(p);
		if (!cmark_node_get_list_tight(parent))
			plain_blank(p);
	}
	if (!plain_push(p, PLAIN_ITEM))
		return (0);
	item = &p->lv[p->nlv - 1];
	list = p->nlv > 1 ? &p->lv[p->nlv - 2] : NULL;
	if (list != NULL && list->kind == PLAIN_LIST &&
	    cmark_node_get_list_type(parent) == CMARK_ORDERED_LIST) {
		n = snprintf(item->marker, sizeof(item->marker), "%d%c ",
		    list->next++, cmark_node_get_list_delim(parent) ==
		    CMARK_PAREN_DELIM ? ')' : '.');
		if (n < 0 || (size_t)n >= sizeof(item->marker))
			memcpy(item->marker, "- ", 3);
	} else
		memcpy(item->marker, "- ", 3);
	item->indent = strlen(item->marker);
	item->pending = 1;
	return (1);
}

static void
plain_code(struct plain *p, const char *code)
{
	size_t	len;

	while (code != NULL && *code != '\0') {
		len = strcspn(code, "\n");
		if (len > 0) {
			plain_text(p, "    ", 4);
			plain_text(p, code, len);
		}
		plain_newline(p);
		code += len + (code[len] == '\n');
	}
}

/* A link keeps its address, unless its text already is the address. */
static void
plain_link_end(struct plain *p, cmark_node *node)
{
	cmark_node	*child;
	const char	*url, *text;

	url = cmark_node_get_url(node);
	if (url == NULL || *url == '\0')
		return;
	child = cmark_node_first_child(node);
	if (child != NULL && cmark_node_next(child) == NULL &&
	    cmark_node_get_type(child) == CMARK_NODE_TEXT &&
	    (text = cmark_node_get_literal(child)) != NULL &&
	    (strcmp(text, url) == 0 || (strncmp(url, "mailto:", 7) == 0 &&
	    strcmp(text, url + 7) == 0)))
		return;
	plain_text(p, " (", 2);
	plain_text(p, url, strlen(url));
	plain_text(p, ")", 1);
}

static int
plain_node(struct plain *p, cmark_node *node, cmark_event_type ev)
{
	const char	*s;
	int		 enter = ev == CMARK_EVENT_ENTER;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
		if (!enter) {
			p->nlv--;
			break;
		}
		plain_block(p, node);
		return (plain_push(p, PLAIN_QUOTE));
	case CMARK_NODE_LIST:
		if (!enter) {
			p->nlv--;
			break;
		}
		plain_block(p, node);
		if (!plain_push(p, PLAIN_LIST))
			return (0);
		p->lv[p->nlv - 1].next = cmark_node_get_list_start(node);
		break;
	case CMARK_NODE_ITEM:
		if (enter)
			return (plain_item(p, node));
		p->nlv--;
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		if (enter)
			plain_block(p, node);
		else if (!p->bol)
			plain_newline(p);
		break;
	case CMARK_NODE_CODE_BLOCK:
		plain_block(p, node);
		plain_code(p, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		plain_block(p, node);
		plain_text(p, "----------", 10);
		plain_newline(p);
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		if ((s = cmark_node_get_literal(node)) != NULL)
			plain_text(p, s, strlen(s));
		break;
	case CMARK_NODE_SOFTBREAK:
		plain_text(p, " ", 1);
		break;
	case CMARK_NODE_LINEBREAK:
		plain_newline(p);
		break;
	case CMARK_NODE_LINK:
		if (!enter)
			plain_link_end(p, node);
		break;
	default:
		/* Raw HTML, emphasis, images (their text is their alt). */
		break;
	}
	return (1);
}

/* Renders a parsed document, which the caller may have edited first. */
void
us_plain_node(struct us_out *o, cmark_node *doc)
{
	struct plain		 p;
	cmark_iter		*it;
	cmark_event_type	 ev;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.bol = 1;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (!plain_node(&p, cmark_iter_get_node(it), ev))
			break;
	}
	if (!p.bol)
		plain_newline(&p);
	cmark_iter_free(it);
	free(p.lv);
}

void
us_plain_render(struct us_out *o, const char *md)
{
	cmark_node	*doc;

	if (md == NULL)
		return;
	doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	us_plain_node(o, doc);
	cmark_node_free(doc);
}
