/*
 * The press release as one self-contained HTML5 document: no scripts, no
 * external style sheet or font, so that it can be attached to a mail,
 * opened offline or pasted into a newsroom system.  Every model string is
 * escaped here; the Markdown texts go through cmark with CMARK_OPT_SAFE,
 * which drops raw HTML and javascript: links.
 */
#include <stddef.h>
#include <string.h>

#include <cmark.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "prose.h"
#include "press.h"

static void	html_escape(struct us_out *, const char *, size_t);
static void	html_begin(struct us_out *, const struct us_p_statement *);
static void	html_markdown(struct us_out *, cmark_node *);
static void	html_link(struct us_out *, const char *, const char *);

static const char	html_style[] =
	"body{font:1rem/1.5 Georgia,'Noto Serif',serif;color:#111;"
	"max-width:42rem;margin:2rem auto;padding:0 1rem}"
	"h1{font-size:1.6rem;line-height:1.25}"
	"h2{font-size:1.15rem;margin-top:2rem}"
	".release{font-family:Arial,'Noto Sans',sans-serif;"
	"font-weight:bold;letter-spacing:.03em}"
	".dateline{font-weight:bold}"
	".end{text-align:center;font-weight:bold;margin-top:2rem}";

/*
 * & < > " ' as entities, so a string is safe in text and in a quoted
 * attribute alike.  Control characters other than tab and line breaks
 * are dropped: they are errors in an HTML document.
 */
static void
html_escape(struct us_out *o, const char *s, size_t len)
{
	const char	*rep;
	size_t		 i, run = 0;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n' &&
			    c != '\r') || c == 0x7f)
				rep = "";
			else
				continue;
			break;
		}
		us_out_write(o, s + run, i - run);
		us_out_puts(o, rep);
		run = i + 1;
	}
	us_out_write(o, s + run, len - run);
}

/*
 * The document's language is the statement's, when it looks like a BCP
 * 47 tag; the fixed words of a release are English otherwise.
 */
static void
html_begin(struct us_out *o, const struct us_p_statement *st)
{
	const char	*lang = st->lang;

	if (lang == NULL || *lang == '\0' || strlen(lang) > 35 ||
	    lang[strspn(lang, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-")] != '\0')
		lang = "en";
	us_out_puts(o, "<!DOCTYPE html>\n<html lang=\"");
	html_escape(o, lang, strlen(lang));
	us_out_puts(o, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	us_prose_line(o, st->headline, html_escape);
	us_out_puts(o, "</title>\n<style>");
	us_out_puts(o, html_style);
	us_out_puts(o, "</style>\n</head>\n<body>\n<article>\n");
}

static void
html_markdown(struct us_out *o, cmark_node *doc)
{
	cmark_mem	*mem = cmark_get_default_mem_allocator();
	char		*html;

	html = cmark_render_html(doc, CMARK_OPT_SAFE);
	if (html == NULL) {
		us_out_fail(o, "cannot render Markdown");
		return;
	}
	us_out_puts(o, "<div class=\"text\">\n");
	us_out_puts(o, html);
	us_out_puts(o, "</div>\n");
	mem->free(html);
}

/*
 * A link only to a web page or a mail address: anything else in the
 * model (a javascript: URL) is shown as text, not made clickable.
 */
static void
html_link(struct us_out *o, const char *scheme, const char *target)
{
	int	link;

	link = strcmp(scheme, "mailto:") == 0 ||
	    strncmp(target, "https://", 8) == 0 ||
	    strncmp(target, "http://", 7) == 0;
	if (link) {
		us_out_puts(o, "<a href=\"");
		html_escape(o, scheme, strlen(scheme));
		us_prose_line(o, target, html_escape);
		us_out_puts(o, "\">");
	}
	us_prose_line(o, target, html_escape);
	if (link)
		us_out_puts(o, "</a>");
}

/* <bdi>: a right-to-left name must not reorder the text around it. */
int
press_html_render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	static const struct press_fmt	f = {
		.who = "press-release-html",
		.esc = html_escape,
		.begin = html_begin,
		.markdown = html_markdown,
		.link = html_link,
		.br = "<br>\n",
		.end = "</article>\n</body>\n</html>\n",
		.numbered = 0,
		.release = { "<p class=\"release\">", "</p>\n" },
		.h1 = { "<h1>", "</h1>\n" },
		.h2 = { "<h2>", "</h2>\n" },
		.p = { "<p>", "</p>\n" },
		.dateline = { "<span class=\"dateline\">", "</span>" },
		.list = { "<ol>\n", "</ol>\n" },
		.item = { "<li>", "</li>\n" },
		.name = { "<bdi>", "</bdi>" },
		.endmark = { "<p class=\"end\">", "</p>\n" },
	};

	return (press_render(st, sink, &f));
}
