#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "buf.h"
#include "markdown.h"

/* More than US_MD_MAX characters: too long to render. */
int
us_md_too_long(const char *md)
{
	size_t	chars = 0;

	for (; *md != '\0'; md++) {
		if (((unsigned char)*md & 0xc0) != 0x80 && ++chars > US_MD_MAX)
			return (1);
	}
	return (0);
}

char *
us_md_html(const char *md)
{
	char	*html, *out;

	html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_SAFE);
	if (html == NULL)
		abort();
	out = us_strdup(html);
	free(html);
	return (out);
}

/*
 * The text of the first paragraph, without markup: the lede of a press
 * release and the description in share metadata.
 */
char *
us_md_first_paragraph(const char *md)
{
	cmark_node		*doc, *node;
	cmark_iter		*it;
	cmark_event_type	 ev;
	struct us_buf		 b;
	int			 inpara;

	us_buf_init(&b);
	doc = cmark_parse_document(md, strlen(md), CMARK_OPT_SAFE);
	it = cmark_iter_new(doc);
	inpara = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH) {
			if (ev == CMARK_EVENT_EXIT)
				break;
			inpara = 1;
			continue;
		}
		if (!inpara || ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			us_buf_puts(&b, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			us_buf_putc(&b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return (us_buf_release(&b));
}
