/*
 * text.so: the final text and its signatories, for pasting into an email
 * or a document, as plain text and as Markdown.
 *
 * Model strings that are not Markdown (names, the title, addresses) are
 * escaped in the Markdown output so that they come out literally when
 * rendered: an organisation called "1. *Evil*" or "<img src=x>" must not
 * become a list, emphasis or HTML.  In both formats a line break inside
 * a name becomes a space, so that a name cannot start a line of its own.
 */
#include <stddef.h>
#include <string.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "plain.h"
#include "prose.h"

/* What tells the two formats apart. */
struct text_fmt {
	const char	*who;
	int		 markdown;
	us_prose_esc	 esc;		/* text within a line */
	us_prose_esc	 esc_start;	/* text that starts a line */
	const char	*br;		/* joins the lines of one block */
	const char	*title;		/* before the title */
};

static void	md_escape(struct us_out *, const char *, size_t, int);
static void	md_inline(struct us_out *, const char *, size_t);
static void	md_start(struct us_out *, const char *, size_t);
static void	text_field(struct us_out *, const struct text_fmt *, int *,
		    const char *, const char *);
static void	text_heading(struct us_out *, const struct us_p_statement *,
		    const struct text_fmt *);
static void	text_addressees(struct us_out *,
		    const struct us_p_statement *, const struct text_fmt *);
static void	text_signatories(struct us_out *,
		    const struct us_p_statement *, const struct text_fmt *);
static int	text_render(const struct us_p_statement *,
		    struct us_p_sink *, const struct text_fmt *);
static int	text_plain(const struct us_p_statement *, struct us_p_sink *);
static int	text_markdown(const struct us_p_statement *,
		    struct us_p_sink *);

/*
 * Everywhere: what opens emphasis, code, links, HTML, entities, tables
 * and strike-through, and the backslash itself.  At the start of a line
 * also what opens a list item ("1." "1)" "-" "+") or turns the line
 * before into a heading ("="); "#" ">" "*" "`" "~" are escaped anyway.
 */
static const char	md_special[] = "\\`*_[]<>&#|~";

static void
md_escape(struct us_out *o, const char *s, size_t len, int start)
{
	size_t	i = 0, run = 0, n;

	if (start && len > 0) {
		for (n = 0; n < len && s[n] >= '0' && s[n] <= '9'; n++)
			;
		if (n > 0 && n < len && (s[n] == '.' || s[n] == ')')) {
			us_out_write(o, s, n);
			us_out_write(o, "\\", 1);
			run = n;
			i = n + 1;
		} else if (s[0] == '-' || s[0] == '+' || s[0] == '=') {
			us_out_write(o, "\\", 1);
			i = 1;
		}
	}
	for (; i < len; i++) {
		if (memchr(md_special, s[i], sizeof(md_special) - 1) == NULL)
			continue;
		us_out_write(o, s + run, i - run);
		us_out_write(o, "\\", 1);
		run = i;
	}
	us_out_write(o, s + run, len - run);
}

static void
md_inline(struct us_out *o, const char *s, size_t len)
{
	md_escape(o, s, len, 0);
}

static void
md_start(struct us_out *o, const char *s, size_t len)
{
	md_escape(o, s, len, 1);
}

/* One line of a block: "Email: ..." with a label, a name without. */
static void
text_field(struct us_out *o, const struct text_fmt *f, int *first,
    const char *label, const char *value)
{
	if (value == NULL)
		return;
	if (label == NULL) {
		us_prose_lines(o, value, f->esc_start, f->br, first);
		return;
	}
	if (!*first)
		us_out_puts(o, f->br);
	*first = 0;
	us_out_puts(o, label);
	us_out_write(o, " ", 1);
	us_prose_line(o, value, f->esc);
}

/* Title, then reference and "Place, 1 December 2026" as one block. */
static void
text_heading(struct us_out *o, const struct us_p_statement *st,
    const struct text_fmt *f)
{
	char	date[128];
	int	first = 1;

	us_out_puts(o, f->title);
	us_prose_line(o, st->title, f->esc);
	us_out_puts(o, "\n\n");

	text_field(o, f, &first, us_prose_tr(st, "Reference:"),
	    st->reference);
	if (st->place != NULL || st->date != NULL) {
		if (!first)
			us_out_puts(o, f->br);
		first = 0;
		if (st->place != NULL)
			us_prose_line(o, st->place, f->esc_start);
		if (st->place != NULL && st->date != NULL)
			us_out_write(o, ", ", 2);
		if (us_prose_date(st, date, sizeof(date), st->date, 0))
			us_out_puts(o, date);
		else
			us_prose_line(o, st->date, st->place != NULL ?
			    f->esc : f->esc_start);
	}
	if (!first)
		us_out_puts(o, "\n\n");
}

static void
text_addressees(struct us_out *o, const struct us_p_statement *st,
    const struct text_fmt *f)
{
	const struct us_p_addressee	*a;
	size_t				 i;
	int				 first;

	if (st->naddressees == 0)
		return;
	us_out_puts(o, us_prose_tr(st, "To:"));
	us_out_puts(o, "\n\n");
	for (i = 0; i < st->naddressees; i++) {
		a = st->addressees[i];
		first = 1;
		text_field(o, f, &first, NULL, a->name);
		text_field(o, f, &first, NULL, a->title);
		text_field(o, f, &first, NULL, a->address);
		text_field(o, f, &first, us_prose_tr(st, "Email:"),
		    a->email);
		text_field(o, f, &first, us_prose_tr(st, "Phone:"),
		    a->phone);
		text_field(o, f, &first, us_prose_tr(st, "Fax:"),
		    a->fax);
		text_field(o, f, &first, us_prose_tr(st, "Social:"),
		    a->social);
		if (!first)
			us_out_puts(o, "\n\n");
	}
}

/*
 * "1. Organisation (ACRONYM, Country)" per named signatory, then the
 * unnamed ones counted.  In Markdown a blank line must come before that
 * count, which would otherwise continue the last item.
 */
static void
text_signatories(struct us_out *o, const struct us_p_statement *st,
    const struct text_fmt *f)
{
	const struct us_p_signatory	*s;
	size_t				 i;

	us_out_puts(o, us_prose_tr(st, "Signed by:"));
	us_out_puts(o, "\n\n");
	if (st->nsignatories == 0 && st->unnamed_count == 0) {
		us_out_puts(o, us_prose_tr(st, "No organisation has signed "
		    "yet."));
		us_out_write(o, "\n", 1);
		return;
	}
	for (i = 0; i < st->nsignatories; i++) {
		s = st->signatories[i];
		us_out_printf(o, "%u. ", s->position);
		us_prose_line(o, s->organisation, f->esc_start);
		us_prose_details(o, s, f->esc);
		us_out_write(o, "\n", 1);
	}
	if (st->unnamed_count > 0) {
		if (f->markdown && st->nsignatories > 0)
			us_out_write(o, "\n", 1);
		us_prose_unnamed(o, st);
		us_out_write(o, "\n", 1);
	}
}

static int
text_render(const struct us_p_statement *st, struct us_p_sink *sink,
    const struct text_fmt *f)
{
	struct us_out	o;
	size_t		len;

	us_out_init(&o, sink, f->who);
	text_heading(&o, st, f);
	if (st->body_markdown != NULL) {
		if (f->markdown) {
			len = strlen(st->body_markdown);
			us_out_write(&o, st->body_markdown, len);
			if (len > 0 && st->body_markdown[len - 1] != '\n')
				us_out_write(&o, "\n", 1);
		} else
			us_plain_render(&o, st->body_markdown);
		us_out_write(&o, "\n", 1);
	}
	text_addressees(&o, st, f);
	text_signatories(&o, st, f);
	us_out_puts(&o, "\n");
	us_prose_facts(&o, st, f->esc_start, "", f->markdown ? "\n\n" :
	    "\n");
	return (us_out_finish(&o));
}

static int
text_plain(const struct us_p_statement *st, struct us_p_sink *sink)
{
	static const struct text_fmt	f = {
		.who = "text", .markdown = 0, .esc = us_prose_plain,
		.esc_start = us_prose_plain, .br = "\n", .title = "",
	};

	return (text_render(st, sink, &f));
}

/* A backslash before the newline: a hard break editors do not strip. */
static int
text_markdown(const struct us_p_statement *st, struct us_p_sink *sink)
{
	static const struct text_fmt	f = {
		.who = "markdown", .markdown = 1, .esc = md_inline,
		.esc_start = md_start, .br = "\\\n", .title = "# ",
	};

	return (text_render(st, sink, &f));
}

static const struct us_plugin text = {
	US_PLUGIN_HEADER,
	.name = "text",
	.title = "Plain text",
	.mime_type = "text/plain; charset=utf-8",
	.extension = "txt",
	.version = "2.0",
	.file_suffix = "",
	.render = text_plain,
};

static const struct us_plugin markdown = {
	US_PLUGIN_HEADER,
	.name = "markdown",
	.title = "Markdown",
	.mime_type = "text/markdown; charset=utf-8",
	.extension = "md",
	.version = "2.0",
	.file_suffix = "",
	.render = text_markdown,
};

US_PLUGIN_EXPORT(&text, &markdown);
