/*
 * press.so: the press release as plain text and as HTML.  The sections
 * are written once, in press_render(); a struct press_fmt says how each
 * piece is marked up, so that the two formats cannot drift apart.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "plain.h"
#include "prose.h"
#include "press.h"

static void	press_open(struct us_out *, const struct press_tag *);
static void	press_close(struct us_out *, const struct press_tag *);
static int	press_when(struct us_out *, const struct us_p_statement *,
		    const char *, const char *, const struct press_fmt *);
static void	press_release_line(struct us_out *,
		    const struct us_p_statement *, const struct press_fmt *);
static void	press_lede(struct us_out *, const struct us_p_statement *,
		    const struct press_fmt *);
static void	press_signatories(struct us_out *,
		    const struct us_p_statement *, const struct press_fmt *);
static void	press_field(struct us_out *, const struct press_fmt *, int *,
		    const char *, const char *);
static void	press_contacts(struct us_out *, const struct us_p_statement *,
		    const struct press_fmt *);
static int	press_same_words(const char *, const char *);
static int	press_is_lede(cmark_node *, const char *);
static void	press_markdown(struct us_out *, const struct press_fmt *,
		    const char *, const char *);
static void	press_section(struct us_out *, const struct press_fmt *,
		    const char *, const char *);
static void	text_markdown(struct us_out *, cmark_node *);
static void	text_link(struct us_out *, const char *, const char *);
static int	press_text_render(const struct us_p_statement *,
		    struct us_p_sink *);

static void
press_open(struct us_out *o, const struct press_tag *t)
{
	us_out_puts(o, t->open);
}

static void
press_close(struct us_out *o, const struct press_tag *t)
{
	us_out_puts(o, t->close);
}

/*
 * "00:01 GMT, Tuesday 1 December 2026" from "2026-12-01T00:01:00" and a
 * zone; 0 when t is not such a time.
 */
static int
press_when(struct us_out *o, const struct us_p_statement *st, const char *t,
    const char *zone, const struct press_fmt *f)
{
	char	date[128];

	if (t == NULL || !us_prose_date(st, date, sizeof(date), t, 1) ||
	    t[10] != 'T' || strspn(t + 11, "0123456789") < 2 ||
	    t[13] != ':' || strspn(t + 14, "0123456789") < 2)
		return (0);
	us_out_write(o, t + 11, 5);
	if (zone != NULL) {
		us_out_write(o, " ", 1);
		us_prose_line(o, zone, f->esc);
	}
	us_out_printf(o, ", %s", date);
	return (1);
}

/*
 * "EMBARGOED UNTIL 00:01 (Europe/London), Tuesday 1 December 2026" from
 * the local time in the embargo's zone, named as the coordinator chose
 * it (an abbreviation such as "+06" tells a journalist little), else
 * from the UTC instant when it is in UTC, else the instant as it came: a
 * wrong hour would break the embargo.  The service gives no embargo once
 * it has passed.
 */
static void
press_release_line(struct us_out *o, const struct us_p_statement *st,
    const struct press_fmt *f)
{
	const struct us_p_embargo	*e = st->embargo;
	const char			*zone, *u;
	char				 named[128];

	press_open(o, &f->release);
	if (e == NULL) {
		us_out_puts(o, us_prose_tr(st, "FOR IMMEDIATE RELEASE"));
		press_close(o, &f->release);
		return;
	}
	us_out_puts(o, us_prose_tr(st, "EMBARGOED UNTIL"));
	us_out_write(o, " ", 1);
	zone = e->zone;
	if (e->timezone != NULL && strlen(e->timezone) < sizeof(named) - 2) {
		(void)snprintf(named, sizeof(named), "(%s)", e->timezone);
		zone = named;
	}
	if (press_when(o, st, e->local, zone, f))
		goto done;
	u = e->until;
	if (u != NULL && strlen(u) == 20 && (u[19] == 'Z' || u[19] == 'z') &&
	    press_when(o, st, u, "UTC", f))
		goto done;
	if (u != NULL)
		us_prose_line(o, u, f->esc);
	else
		us_out_puts(o, us_prose_tr(st, "FURTHER NOTICE"));
done:
	press_close(o, &f->release);
}

/* "Tbilisi, 1 December 2026 — " and the lede, in one paragraph. */
static void
press_lede(struct us_out *o, const struct us_p_statement *st,
    const struct press_fmt *f)
{
	const char	*day;
	char		 date[128];
	int		 have_date;

	day = st->date != NULL ? st->date : st->generated_at;
	have_date = us_prose_date(st, date, sizeof(date), day, 0);
	press_open(o, &f->p);
	if (st->place != NULL || have_date) {
		press_open(o, &f->dateline);
		us_prose_line(o, st->place, f->esc);
		if (st->place != NULL && have_date)
			us_out_write(o, ", ", 2);
		if (have_date)
			us_out_puts(o, date);
		press_close(o, &f->dateline);
		us_out_puts(o, " \xe2\x80\x94 ");
	}
	us_prose_line(o, st->lede, f->esc);
	press_close(o, &f->p);
}

static void
press_signatories(struct us_out *o, const struct us_p_statement *st,
    const struct press_fmt *f)
{
	const struct us_p_signatory	*s;
	size_t				 i;

	press_open(o, &f->h2);
	us_out_puts(o, us_prose_tr(st, "Signatories"));
	press_close(o, &f->h2);

	press_open(o, &f->p);
	if (st->signature_count == 0)
		us_out_puts(o, us_prose_tr(st, "No organisation has signed "
		    "yet."));
	else {
		us_out_puts(o, us_prose_tr(st, "Signed by"));
		us_out_write(o, " ", 1);
		us_prose_count(o, st);
		us_out_puts(o, st->nsignatories > 0 ? ":" : ".");
	}
	press_close(o, &f->p);

	if (st->nsignatories > 0) {
		press_open(o, &f->list);
		for (i = 0; i < st->nsignatories; i++) {
			s = st->signatories[i];
			press_open(o, &f->item);
			if (f->numbered)
				us_out_printf(o, "%u. ", s->position);
			press_open(o, &f->name);
			us_prose_line(o, s->organisation, f->esc);
			press_close(o, &f->name);
			us_prose_details(o, s, f->esc);
			press_close(o, &f->item);
		}
		press_close(o, &f->list);
	}
	if (st->unnamed_count > 0) {
		press_open(o, &f->p);
		us_prose_unnamed(o, st);
		press_close(o, &f->p);
	}
	/* An urgent action's readers' confirmed actions, for the officials. */
	if (st->action_count > 0) {
		press_open(o, &f->p);
		us_prose_n(o, st, "{n} action taken", "{n} actions taken",
		    (unsigned long)st->action_count);
		us_out_puts(o, ".");
		press_close(o, &f->p);
	}
	if (st->url != NULL) {
		press_open(o, &f->p);
		us_out_puts(o, us_prose_tr(st, "Full text and signatories:"));
		us_out_write(o, " ", 1);
		f->link(o, "", st->url);
		press_close(o, &f->p);
	}
	press_open(o, &f->p);
	us_prose_line(o, st->status_line, f->esc);
	us_out_puts(o, f->br);
	us_prose_counts(o, st, f->esc);
	press_close(o, &f->p);
	if (st->record_digest != NULL) {
		press_open(o, &f->p);
		us_prose_record(o, st, f->esc, "", "");
		press_close(o, &f->p);
	}
}

/* One line of a contact: "Languages: English, Russian". */
static void
press_field(struct us_out *o, const struct press_fmt *f, int *first,
    const char *label, const char *value)
{
	if (value == NULL)
		return;
	if (!*first)
		us_out_puts(o, f->br);
	*first = 0;
	us_out_puts(o, label);
	us_out_write(o, " ", 1);
	us_prose_line(o, value, f->esc);
}

static void
press_contacts(struct us_out *o, const struct us_p_statement *st,
    const struct press_fmt *f)
{
	const struct us_p_media_contact	*c;
	size_t				 i;
	int				 first;

	if (st->nmedia_contacts == 0)
		return;
	press_open(o, &f->h2);
	us_out_puts(o, us_prose_tr(st, "Media contacts"));
	press_close(o, &f->h2);
	for (i = 0; i < st->nmedia_contacts; i++) {
		c = st->media_contacts[i];
		if (c->name == NULL && c->organisation == NULL &&
		    c->email == NULL && c->phone == NULL &&
		    c->languages == NULL && c->timezone == NULL)
			continue;
		press_open(o, &f->p);
		first = 1;
		if (c->name != NULL || c->organisation != NULL) {
			us_prose_line(o, c->name, f->esc);
			if (c->name != NULL && c->organisation != NULL)
				us_out_write(o, ", ", 2);
			us_prose_line(o, c->organisation, f->esc);
			first = 0;
		}
		if (c->email != NULL) {
			if (!first)
				us_out_puts(o, f->br);
			first = 0;
			us_out_puts(o, us_prose_tr(st, "Email:"));
			us_out_write(o, " ", 1);
			f->link(o, "mailto:", c->email);
		}
		press_field(o, f, &first, us_prose_tr(st, "Phone:"),
		    c->phone);
		press_field(o, f, &first, us_prose_tr(st, "Languages:"),
		    c->languages);
		press_field(o, f, &first, us_prose_tr(st, "Time zone:"),
		    c->timezone);
		press_close(o, &f->p);
	}
}

/*
 * Whether two texts have the same words: white space runs compare equal
 * to one space, and none counts at either end.
 */
static int
press_same_words(const char *a, const char *b)
{
	static const char	ws[] = " \t\r\n\v\f";

	a += strspn(a, ws);
	b += strspn(b, ws);
	while (*a != '\0' && *b != '\0') {
		if (strchr(ws, *a) != NULL && strchr(ws, *b) != NULL) {
			a += strspn(a, ws);
			b += strspn(b, ws);
			continue;
		}
		if (*a++ != *b++)
			return (0);
	}
	a += strspn(a, ws);
	b += strspn(b, ws);
	return (*a == '\0' && *b == '\0');
}

/*
 * Whether a paragraph says what the lede says.  When no lede was set the
 * model gives the first paragraph's words as the lede; the body then
 * starts after it, or the release would say it twice.
 */
static int
press_is_lede(cmark_node *para, const char *lede)
{
	cmark_iter		*it;
	cmark_node		*node;
	cmark_event_type	 ev;
	const char		*s;
	char			*words = NULL, *w;
	size_t			 len = 0, n;
	int			 same = 0;

	it = cmark_iter_new(para);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			s = cmark_node_get_literal(node);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			s = " ";
			break;
		default:
			s = NULL;
			break;
		}
		if (s == NULL)
			continue;
		n = strlen(s);
		if ((w = realloc(words, len + n + 1)) == NULL)
			goto done;
		words = w;
		memcpy(words + len, s, n + 1);
		len += n;
	}
	same = words != NULL && press_same_words(words, lede);
done:
	cmark_iter_free(it);
	free(words);
	return (same);
}

/* A CommonMark text; without its first paragraph when that is the lede. */
static void
press_markdown(struct us_out *o, const struct press_fmt *f, const char *md,
    const char *lede)
{
	cmark_node	*doc, *first;

	doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	first = cmark_node_first_child(doc);
	if (lede != NULL && first != NULL &&
	    cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH &&
	    press_is_lede(first, lede)) {
		cmark_node_unlink(first);
		cmark_node_free(first);
	}
	if (cmark_node_first_child(doc) != NULL)
		f->markdown(o, doc);
	cmark_node_free(doc);
}

/* A heading and a CommonMark text under it, when there is a text. */
static void
press_section(struct us_out *o, const struct press_fmt *f,
    const char *heading, const char *md)
{
	if (md == NULL || md[strspn(md, " \t\r\n")] == '\0')
		return;
	press_open(o, &f->h2);
	us_out_puts(o, heading);
	press_close(o, &f->h2);
	press_markdown(o, f, md, NULL);
}

int
press_render(const struct us_p_statement *st, struct us_p_sink *sink,
    const struct press_fmt *f)
{
	struct us_out	o;

	us_out_init(&o, sink, f->who);
	if (f->begin != NULL)
		f->begin(&o, st);
	press_release_line(&o, st, f);

	press_open(&o, &f->h1);
	us_prose_line(&o, st->headline, f->esc);
	press_close(&o, &f->h1);

	press_lede(&o, st, f);
	if (st->body_markdown != NULL)
		press_markdown(&o, f, st->body_markdown, st->lede);
	press_signatories(&o, st, f);
	press_section(&o, f, us_prose_tr(st, "Notes to editors"),
	    st->notes_to_editors);
	press_contacts(&o, st, f);
	press_section(&o, f, us_prose_tr(st, "About"), st->about);

	press_open(&o, &f->endmark);
	us_out_puts(&o, "###");
	press_close(&o, &f->endmark);
	us_out_puts(&o, f->end);
	return (us_out_finish(&o));
}

static void
text_markdown(struct us_out *o, cmark_node *doc)
{
	us_plain_node(o, doc);
	us_out_write(o, "\n", 1);
}

/* In plain text an address is just written out, without its scheme. */
static void
text_link(struct us_out *o, const char *scheme, const char *target)
{
	(void)scheme;
	us_prose_line(o, target, us_prose_plain);
}

static int
press_text_render(const struct us_p_statement *st, struct us_p_sink *sink)
{
	static const struct press_fmt	f = {
		.who = "press-release",
		.esc = us_prose_plain,
		.markdown = text_markdown,
		.link = text_link,
		.br = "\n",
		.end = "",
		.numbered = 1,
		.release = { "", "\n\n" },
		.h1 = { "", "\n\n" },
		.h2 = { "", "\n\n" },
		.p = { "", "\n\n" },
		.dateline = { "", "" },
		.list = { "", "\n" },
		.item = { "", "\n" },
		.name = { "", "" },
		.endmark = { "", "\n" },
	};

	return (press_render(st, sink, &f));
}

static const struct us_plugin press_text = {
	US_PLUGIN_HEADER,
	.name = "press-release",
	.title = "Press release (plain text)",
	.mime_type = "text/plain; charset=utf-8",
	.extension = "txt",
	.version = "2.0",
	.render = press_text_render,
};

static const struct us_plugin press_html = {
	US_PLUGIN_HEADER,
	.name = "press-release-html",
	.title = "Press release (HTML)",
	.mime_type = "text/html; charset=utf-8",
	.extension = "html",
	.version = "2.0",
	.file_suffix = ".press-release",
	.render = press_html_render,
};

US_PLUGIN_EXPORT(&press_text, &press_html);
