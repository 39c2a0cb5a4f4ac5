#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "feed.h"
#include "markdown.h"
#include "text.h"

static void	feed_url(struct us_buf *, const char *, const char *);

/*
 * Text for XML 1.0 content and attributes: HTML's escaping (its five
 * entities are XML's too), after C0 controls other than tab and line
 * ends are dropped, since XML has no way to write them at all.
 */
void
us_esc_xml(struct us_buf *b, const char *s)
{
	struct us_buf	 clean;
	const char	*run;

	us_buf_init(&clean);
	for (run = s; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' ||
		    *s == '\r')
			continue;
		us_buf_append(&clean, run, (size_t)(s - run));
		run = s + 1;
	}
	us_buf_append(&clean, run, (size_t)(s - run));
	us_esc_html(b, clean.data != NULL ? clean.data : "");
	us_buf_free(&clean);
}

/*
 * The first paragraph of a Markdown text as plain text, at most max
 * characters: a longer one is cut at the last space before the limit
 * (inside a word only when the word alone is longer) and ends with "…".
 */
void
us_feed_summary(struct us_buf *b, const char *md, size_t max)
{
	char		*p;
	const char	*end;
	size_t		 n;

	p = us_md_first_paragraph(md != NULL ? md : "");
	if (us_utf8_chars(p) <= max) {
		us_buf_puts(b, p);
		free(p);
		return;
	}
	n = us_utf8_prefix(p, max > 0 ? max - 1 : 0);
	/* The last space before the limit, if the text has one. */
	for (end = p + n; end > p && *end != ' '; end--)
		;
	if (end == p)
		end = p + n;
	while (end > p && (end[-1] == ' ' || end[-1] == ',' ||
	    end[-1] == ';' || end[-1] == ':'))
		end--;
	us_buf_append(b, p, (size_t)(end - p));
	us_buf_puts(b, "\xe2\x80\xa6");
	free(p);
}

static void
feed_url(struct us_buf *b, const char *base, const char *slug)
{
	struct us_buf	u;

	us_buf_init(&u);
	us_buf_appendf(&u, "%s/s/", base);
	us_esc_url(&u, slug);
	us_esc_xml(b, u.data);
	us_buf_free(&u);
}

/*
 * The feed of entries at base (PUBLIC_URL) titled title.  An entry's id
 * is its page's URL, which stays the statement's for good: a slug never
 * changes.  The feed is as recent as its newest entry.
 */
void
us_feed_atom(struct us_buf *b, const char *base, const char *title,
    const json_t *entries)
{
	const json_t	*e;
	const char	*updated = "1970-01-01T00:00:00Z", *u, *pub, *lang;
	struct us_buf	 sum;
	size_t		 i;

	json_array_foreach(entries, i, e) {
		u = json_string_value(json_object_get(e, "updated_at"));
		if (u != NULL && strcmp(u, updated) > 0)
			updated = u;
	}
	us_buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
	us_esc_xml(b, title);
	us_buf_puts(b, "</title>\n<id>");
	us_esc_xml(b, base);
	us_buf_puts(b, "/feed.atom</id>\n<link rel=\"self\" "
	    "type=\"application/atom+xml\" href=\"");
	us_esc_xml(b, base);
	us_buf_puts(b, "/feed.atom\"/>\n<link rel=\"alternate\" "
	    "type=\"text/html\" href=\"");
	us_esc_xml(b, base);
	us_buf_appendf(b, "/\"/>\n<updated>%s</updated>\n<author><name>",
	    updated);
	us_esc_xml(b, base);
	us_buf_puts(b, "</name></author>\n");
	json_array_foreach(entries, i, e) {
		lang = json_string_value(json_object_get(e, "lang"));
		u = json_string_value(json_object_get(e, "updated_at"));
		pub = json_string_value(json_object_get(e, "published_at"));
		us_buf_puts(b, "<entry xml:lang=\"");
		us_esc_xml(b, lang != NULL ? lang : "und");
		us_buf_puts(b, "\">\n<title>");
		us_esc_xml(b, json_string_value(json_object_get(e, "title")));
		us_buf_puts(b, "</title>\n<link rel=\"alternate\" "
		    "type=\"text/html\" href=\"");
		feed_url(b, base, json_string_value(json_object_get(e,
		    "slug")));
		us_buf_puts(b, "\"/>\n");
		/* An update links the urgent action it follows. */
		if (json_is_string(json_object_get(e, "follows"))) {
			us_buf_puts(b, "<link rel=\"related\" "
			    "type=\"text/html\" href=\"");
			feed_url(b, base, json_string_value(json_object_get(e,
			    "follows")));
			us_buf_puts(b, "\"/>\n");
		}
		us_buf_puts(b, "<id>");
		feed_url(b, base, json_string_value(json_object_get(e,
		    "slug")));
		us_buf_appendf(b, "</id>\n<updated>%s</updated>\n",
		    u != NULL ? u : updated);
		if (pub != NULL)
			us_buf_appendf(b, "<published>%s</published>\n", pub);
		us_buf_puts(b, "<summary type=\"text\">");
		us_buf_init(&sum);
		us_feed_summary(&sum, json_string_value(json_object_get(e,
		    "body_markdown")), US_FEED_SUMMARY_MAX);
		us_esc_xml(b, sum.data != NULL ? sum.data : "");
		us_buf_free(&sum);
		us_buf_puts(b, "</summary>\n</entry>\n");
	}
	us_buf_puts(b, "</feed>\n");
}
