#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/country.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/sign.h"
#include "core/validate.h"
#include "core/when.h"
#include "http/http.h"

/*
 * Moderation: the list of a statement's signatures with contact data,
 * decisions on them (one or many at once), how a name is shown, and the
 * order of the public list.
 */

#define DECIDE_MAX	US_DB_DECIDE_MAX
#define PER_PAGE	100	/* signatures on a page of the view */
#define PAGE_MAX	100000
#define SEARCH_MAX	100	/* characters searched for */

/* The states a view can show, with their words and counts. */
static const struct {
	const char	*key;
	const char	*label;
	const char	*count;		/* member of the statement, or NULL */
} shows[] = {
	{ "queue", US_N_("Awaiting approval"), "awaiting" },
	{ "pending", US_N_("Unconfirmed"), "pending" },
	{ "public", US_N_("Listed"), "signature_count" },
	{ "counted", US_N_("Counted, not named"), NULL },
	{ "rejected", US_N_("Rejected"), "rejected" },
	{ "withdrawn", US_N_("Withdrawn"), "withdrawn" },
	{ "all", US_N_("All"), NULL },
};

/* What each action is called where it is asked for and where it is done. */
static const struct {
	const char	*action;
	const char	*ask;		/* "Approve {n} signatures?" */
	const char	*ask_many;
	const char	*done;		/* "{n} signatures approved." */
	const char	*done_many;
} actions[] = {
	{ "approve", US_NN_("Approve {n} signature?",
	    "Approve {n} signatures?"), US_NN_("{n} signature approved.",
	    "{n} signatures approved.") },
	{ "reject", US_NN_("Reject {n} signature?",
	    "Reject {n} signatures?"), US_NN_("{n} signature rejected.",
	    "{n} signatures rejected.") },
	{ "restore", US_NN_("Restore {n} signature?",
	    "Restore {n} signatures?"), US_NN_("{n} signature restored.",
	    "{n} signatures restored.") },
};

static int	 mod_filter(struct us_req *, struct us_db_mod_filter *,
		    char **);
static void	 mod_query(struct us_buf *, const char *, const char *, int);
static char	*mod_count(const char *, const char *, const char *,
		    long long);
static void	 mod_rows(json_t *, const char *, const char *);
static void	 mod_shows(struct us_req *, json_t *, const char *,
		    const char *);
static void	 mod_numbers(struct us_buf *, const char *, long long,
		    long long, long long);
static void	 mod_pages(struct us_req *, json_t *, const char *,
		    const char *, int, long long);

/*
 * show, q (trimmed, at most SEARCH_MAX characters) and the country q
 * names, if any; *q_out is the caller's to free.
 */
static int
mod_filter(struct us_req *r, struct us_db_mod_filter *f, char **q_out)
{
	const struct us_country	*c;
	const char		*show = us_fields_get(&r->fields, "show");
	size_t			 i;

	memset(f, 0, sizeof(*f));
	f->show = "all";
	for (i = 0; show != NULL && i < sizeof(shows) / sizeof(shows[0]); i++)
		if (strcmp(show, shows[i].key) == 0)
			f->show = shows[i].key;
	if (!us_validate_line(&r->fields, "q", "The search", SEARCH_MAX, q_out,
	    &r->err))
		return (US_FAIL);
	f->q = *q_out != NULL ? *q_out : "";
	if (*f->q != '\0' && (c = us_country_match(f->q, US_COUNTRY_NAMES)) !=
	    NULL)
		f->country = c->alpha2;
	return (US_OK);
}

/* "?show=queue&q=HRHF&page=2", leaving out what is the default. */
static void
mod_query(struct us_buf *b, const char *show, const char *q, int page)
{
	us_buf_puts(b, "?show=");
	us_buf_puts(b, show);
	if (q != NULL && *q != '\0') {
		us_buf_puts(b, "&q=");
		us_esc_url(b, q);
	}
	if (page > 1)
		us_buf_appendf(b, "&page=%d", page);
}

/* A sentence with {n} in it, the number put in. */
static char *
mod_count(const char *lang, const char *one, const char *many, long long n)
{
	struct us_buf	 b;
	const char	*s, *at;

	s = us_i18n_n(lang, one, many, (unsigned long)n);
	us_buf_init(&b);
	if ((at = strstr(s, "{n}")) == NULL)
		us_buf_puts(&b, s);
	else {
		us_buf_append(&b, s, (size_t)(at - s));
		us_buf_appendf(&b, "%lld", n);
		us_buf_puts(&b, at + 3);
	}
	return (us_buf_release(&b));
}

/*
 * Words for each row: country, states, times in the statement's zone,
 * and each likely duplicate as a sentence naming the pair and why:
 * "Possible duplicate of Human Rights House Foundation (HRHF), Norway —
 * same website domain".
 */
static void
mod_rows(json_t *rows, const char *lang, const char *zone)
{
	struct us_buf	 b, org;
	json_t		*s, *d;
	const char	*v, *tpl, *at;
	size_t		 i, j;

	us_buf_init(&b);
	us_buf_init(&org);
	json_array_foreach(rows, i, s) {
		if ((v = json_string_value(json_object_get(s, "country"))) !=
		    NULL)
			json_object_set_new(s, "country_name", json_string(
			    us_country_name_in(v, lang)));
		if ((v = json_string_value(json_object_get(s, "country2"))) !=
		    NULL)
			json_object_set_new(s, "country2_name", json_string(
			    us_country_name_in(v, lang)));
		us_ws_labels(s, lang);
		us_buf_reset(&b);
		if (us_when_stamp(&b, lang, json_string_value(json_object_get(s,
		    "created_local")), zone))
			json_object_set_new(s, "created_text",
			    json_string(b.data));
		us_buf_reset(&b);
		if (us_when_stamp(&b, lang, json_string_value(json_object_get(s,
		    "confirmed_local")), zone))
			json_object_set_new(s, "confirmed_text",
			    json_string(b.data));
		json_array_foreach(json_object_get(s, "duplicates"), j, d) {
			us_buf_reset(&org);
			us_buf_puts(&org, json_string_value(json_object_get(d,
			    "organisation")));
			if ((v = json_string_value(json_object_get(d,
			    "acronym"))) != NULL && *v != '\0')
				us_buf_appendf(&org, " (%s)", v);
			if ((v = json_string_value(json_object_get(d,
			    "country"))) != NULL)
				us_buf_appendf(&org, ", %s",
				    us_country_name_in(v, lang));
			us_buf_reset(&b);
			tpl = us_i18n(lang, "Possible duplicate of "
			    "{organisation} \xe2\x80\x94 {reason}");
			for (; (at = strchr(tpl, '{')) != NULL; ) {
				us_buf_append(&b, tpl, (size_t)(at - tpl));
				if (strncmp(at, "{organisation}", 14) == 0) {
					us_buf_puts(&b, org.data);
					tpl = at + 14;
				} else if (strncmp(at, "{reason}", 8) == 0) {
					us_buf_puts(&b, us_i18n(lang,
					    json_string_value(json_object_get(d,
					    "reason"))));
					tpl = at + 8;
				} else {
					us_buf_putc(&b, '{');
					tpl = at + 1;
				}
			}
			us_buf_puts(&b, tpl);
			json_object_set_new(d, "text", json_string(b.data));
		}
	}
	us_buf_free(&org);
	us_buf_free(&b);
}

/* The filter links, each keeping the search, the one shown marked. */
static void
mod_shows(struct us_req *r, json_t *out, const char *show, const char *q)
{
	struct us_buf	 b;
	json_t		*list, *o, *n;
	size_t		 i;

	us_buf_init(&b);
	list = json_array();
	for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++) {
		us_buf_reset(&b);
		mod_query(&b, shows[i].key, q, 1);
		o = json_pack("{s:s, s:s, s:b}", "href", b.data, "label",
		    us_i18n(r->lang, shows[i].label), "current",
		    strcmp(show, shows[i].key) == 0);
		if (shows[i].count != NULL && (n = json_object_get(out,
		    shows[i].count)) != NULL) {
			us_buf_reset(&b);
			us_buf_appendf(&b, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(n));
			json_object_set_new(o, "count_text",
			    json_string(b.data));
		}
		json_array_append_new(list, o);
		if (strcmp(show, shows[i].key) == 0)
			json_object_set_new(out, "show_label", json_string(
			    us_i18n(r->lang, shows[i].label)));
	}
	us_buf_free(&b);
	json_object_set_new(out, "filters", list);
}

/* A translated text with numbers {a}, {b} and {c} put in. */
static void
mod_numbers(struct us_buf *b, const char *text, long long x, long long y,
    long long z)
{
	const char	*at;

	for (; (at = strchr(text, '{')) != NULL; text = at + 3) {
		us_buf_append(b, text, (size_t)(at - text));
		if (strncmp(at, "{a}", 3) == 0)
			us_buf_appendf(b, "%lld", x);
		else if (strncmp(at, "{b}", 3) == 0)
			us_buf_appendf(b, "%lld", y);
		else if (strncmp(at, "{c}", 3) == 0)
			us_buf_appendf(b, "%lld", z);
		else {
			us_buf_putc(b, '{');
			at -= 2;
		}
	}
	us_buf_puts(b, text);
}

/* Where this page is among the pages, and links to its neighbours. */
static void
mod_pages(struct us_req *r, json_t *out, const char *show, const char *q,
    int page, long long total)
{
	struct us_buf	 b;
	long long	 pages, first, last;
	char		*s;

	pages = total > 0 ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	first = total > 0 ? (long long)(page - 1) * PER_PAGE + 1 : 0;
	last = (long long)page * PER_PAGE < total ?
	    (long long)page * PER_PAGE : total;
	us_buf_init(&b);
	mod_numbers(&b, us_i18n(r->lang, "Signatures {a} to {b} of {c}"),
	    first, last, total);
	json_object_set_new(out, "range_text", json_string(b.data));
	us_buf_reset(&b);
	mod_numbers(&b, us_i18n(r->lang, "Page {a} of {b}"), page, pages, 0);
	json_object_set_new(out, "page_text", json_string(b.data));
	if (page > 1) {
		us_buf_reset(&b);
		mod_query(&b, show, q, page - 1);
		json_object_set_new(out, "prev_href", json_string(b.data));
	}
	if (page < pages) {
		us_buf_reset(&b);
		mod_query(&b, show, q, page + 1);
		json_object_set_new(out, "next_href", json_string(b.data));
	}
	json_object_set_new(out, "paged", json_boolean(pages > 1));
	json_object_set_new(out, "page", json_integer(page));
	us_buf_free(&b);
	s = mod_count(r->lang, US_NN_("Select all {n} signature that "
	    "matches, on every page", "Select all {n} signatures that match, "
	    "on every page"), total);
	json_object_set_new(out, "select_all_text", json_string(s));
	free(s);
	json_object_set_new(out, "total", json_integer(total));
}

/*
 * GET /w/s/{slug}/signatures[?show=…][&q=…][&page=N][&done=…&n=N]: one
 * page of the signatures the state and the search cover.
 */
int
us_ws_signatures_work(struct us_db *db, struct us_req *r)
{
	struct us_db_mod_filter	 f;
	json_t			*view;
	const char		*p = us_fields_get(&r->fields, "page");
	const char		*done = us_fields_get(&r->fields, "done");
	const char		*n = us_fields_get(&r->fields, "n");
	const char		*zone;
	char			*q, *s;
	size_t			 i;
	long			 page = 1;

	if (p != NULL && *p != '\0' && (strspn(p, "0123456789") != strlen(p) ||
	    strlen(p) > 6 || (page = strtol(p, NULL, 10)) < 1 ||
	    page > PAGE_MAX))
		return (us_error_set(&r->err, US_E_INVALID, "page",
		    "invalid_number", US_N_("The page must be a whole number "
		    "from 1.")));
	if (!mod_filter(r, &f, &q))
		return (US_FAIL);
	if ((r->out = us_db_ws_statement(db, r->params[0], r->coord,
	    &r->err)) == NULL || (view = us_db_ws_signatures(db, r->params[0],
	    r->coord, &f, (int)page, PER_PAGE, &r->err)) == NULL) {
		free(q);
		return (US_FAIL);
	}
	zone = json_string_value(json_object_get(view, "zone"));
	mod_rows(json_object_get(view, "rows"), r->lang, zone);
	us_ws_labels(r->out, r->lang);
	json_object_set(r->out, "signatures", json_object_get(view, "rows"));
	json_object_set_new(r->out, "show", json_string(f.show));
	json_object_set_new(r->out, "q", json_string(f.q));
	json_object_set_new(r->out, "searched", json_boolean(*f.q != '\0'));
	json_object_set(r->out, "zone", json_object_get(view, "zone"));
	mod_shows(r, r->out, f.show, f.q);
	mod_pages(r, r->out, f.show, f.q, (int)page, json_integer_value(
	    json_object_get(view, "total")));
	json_object_set_new(r->out, "many", json_boolean(json_integer_value(
	    json_object_get(view, "total")) > (json_int_t)json_array_size(
	    json_object_get(view, "rows"))));
	json_decref(view);
	free(q);
	/* What the last decision did, said once after the redirect. */
	for (i = 0; done != NULL && n != NULL && strspn(n, "0123456789") ==
	    strlen(n) && *n != '\0' && strlen(n) < 7 &&
	    i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(done, actions[i].action) != 0)
			continue;
		s = mod_count(r->lang, actions[i].done, actions[i].done_many,
		    strtoll(n, NULL, 10));
		json_object_set_new(r->out, "done_text", json_string(s));
		free(s);
	}
	json_object_set_new(r->out, "page_title",
	    json_string(US_N_("Signatures")));
	json_object_set_new(r->out, "main_wide", json_true());
	/* A published list can only shrink: no approve, no restore. */
	json_object_set_new(r->out, "is_published", json_boolean(
	    json_string_value(json_object_get(r->out, "status")) != NULL &&
	    strcmp(json_string_value(json_object_get(r->out, "status")),
	    "published") == 0));
	json_object_set_new(r->out, "order_date", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "list_order")),
	    "date") == 0));
	json_object_set_new(r->out, "order_alphabetical", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "list_order")),
	    "alphabetical") == 0));
	json_object_set_new(r->out, "order_manual", json_boolean(strcmp(
	    json_string_value(json_object_get(r->out, "list_order")),
	    "manual") == 0));
	return (US_OK);
}

/*
 * POST /w/s/{slug}/signatures: action=approve|reject|restore on every
 * signature ticked (fields sel_<id>) or, with scope=all, on every one
 * the state and search (show, q) cover across pages: more than a page
 * of them is asked about first (the confirm page, w_bulk_confirm.html),
 * and done with confirm=yes.  action=order changes the order of the
 * public list.
 */
int
us_ws_decide_work(struct us_db *db, struct us_req *r)
{
	struct us_db_mod_filter	 f;
	struct us_buf		 b;
	const char		*action = us_fields_get(&r->fields, "action");
	const char		*scope = us_fields_get(&r->fields, "scope");
	const char		*confirm = us_fields_get(&r->fields, "confirm");
	const char		*page = us_fields_get(&r->fields, "page");
	const char		**ids = NULL;
	json_t			*view;
	char			*reason = NULL, *q = NULL, *s;
	size_t			 i, n = 0, a;
	long long		 total;
	int			 changed = 0, ok = US_FAIL, all = 0;

	if (action == NULL)
		return (us_error_set(&r->err, US_E_INVALID, "action",
		    "invalid_action", US_N_("Choose what to do.")));
	if (!mod_filter(r, &f, &q))
		return (US_FAIL);
	us_buf_init(&b);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s/signatures",
	    r->params[0]);
	if (strcmp(action, "order") == 0) {
		ok = us_db_ws_list_order(db, r->params[0], r->coord,
		    us_fields_get(&r->fields, "list_order") != NULL ?
		    us_fields_get(&r->fields, "list_order") : "", &r->err);
		goto done;
	}
	for (a = 0; a < sizeof(actions) / sizeof(actions[0]); a++)
		if (strcmp(action, actions[a].action) == 0)
			break;
	if (a == sizeof(actions) / sizeof(actions[0])) {
		us_error_set(&r->err, US_E_INVALID, "action", "invalid_action",
		    US_N_("The action must be approve, reject or restore."));
		goto done;
	}
	if (!us_validate_line(&r->fields, "reason", "The reason", 500, &reason,
	    &r->err))
		goto done;
	all = scope != NULL && strcmp(scope, "all") == 0;
	if (all && (confirm == NULL || strcmp(confirm, "yes") != 0)) {
		/* More than a page: say how many, and ask. */
		if ((view = us_db_ws_signatures(db, r->params[0], r->coord, &f,
		    1, 0, &r->err)) == NULL)
			goto done;
		total = json_integer_value(json_object_get(view, "total"));
		json_decref(view);
		if (total > PER_PAGE) {
			r->redirect[0] = '\0';
			s = mod_count(r->lang, actions[a].ask,
			    actions[a].ask_many, total);
			r->out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I,"
			    " s:s, s:b}", "slug", r->params[0], "action",
			    action, "question", s, "q", f.q, "show", f.show,
			    "reason", reason != NULL ? reason : "", "total",
			    (json_int_t)total, "page_title",
			    US_N_("Confirm the decision"), "is_reject",
			    strcmp(action, "reject") == 0);
			free(s);
			for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++)
				if (strcmp(f.show, shows[i].key) == 0)
					json_object_set_new(r->out,
					    "show_label", json_string(us_i18n(
					    r->lang, shows[i].label)));
			mod_query(&b, f.show, f.q, 1);
			json_object_set_new(r->out, "back_query",
			    json_string(b.data));
			ok = US_OK;
			goto done;
		}
	}
	if (!all) {
		ids = us_calloc(DECIDE_MAX, sizeof(*ids));
		for (i = 0; i < r->fields.n && n < DECIDE_MAX; i++) {
			if (strncmp(r->fields.v[i].name, "sel_", 4) == 0 &&
			    strspn(r->fields.v[i].name + 4, "0123456789") ==
			    strlen(r->fields.v[i].name + 4) &&
			    r->fields.v[i].name[4] != '\0')
				ids[n++] = r->fields.v[i].name + 4;
		}
		if (n == 0) {
			us_error_set(&r->err, US_E_INVALID, "sel",
			    "nothing_selected", US_N_("Tick at least one "
			    "signature, or select all that match."));
			goto done;
		}
	}
	if (!us_db_ws_decide(db, r->params[0], r->coord, action, reason, ids,
	    n, all ? &f : NULL, &changed, &r->err))
		goto done;
	ok = US_OK;
done:
	/* Back to the view as it was, saying what was done. */
	if (ok && r->redirect[0] != '\0') {
		us_buf_reset(&b);
		us_buf_appendf(&b, "/w/s/%s/signatures", r->params[0]);
		mod_query(&b, f.show, f.q, !all && page != NULL &&
		    strspn(page, "0123456789") == strlen(page) &&
		    strlen(page) < 7 ? atoi(page) : 1);
		if (strcmp(action, "order") != 0)
			us_buf_appendf(&b, "&done=%s&n=%d", action, changed);
		if (b.len < sizeof(r->redirect))
			(void)snprintf(r->redirect, sizeof(r->redirect), "%s",
			    b.data);
	}
	us_buf_free(&b);
	free(reason);
	free(q);
	free(ids);
	return (ok);
}

/* POST /w/s/{slug}/signatures/{id}: display name, initiator, position. */
int
us_ws_sig_edit_work(struct us_db *db, struct us_req *r)
{
	const char	*pos = us_fields_get(&r->fields, "display_order");
	const char	*name;

	if (pos != NULL && *pos != '\0' && (strspn(pos, "0123456789") !=
	    strlen(pos) || strlen(pos) > 6))
		return (us_error_set(&r->err, US_E_INVALID, "display_order",
		    "invalid_number", "The position must be a whole number."));
	if (!us_sign_validate_display(&r->fields, &r->clean, &r->errs)) {
		r->err = r->errs.v[0];
		return (US_FAIL);
	}
	name = us_fields_get(&r->clean, "display_name");
	if (!us_db_ws_sig_edit(db, r->params[0], r->coord, r->params[1],
	    name != NULL ? name : "",
	    us_fields_get(&r->fields, "initiator") != NULL,
	    pos != NULL ? pos : "", &r->err))
		return (US_FAIL);
	(void)snprintf(r->redirect, sizeof(r->redirect), "/w/s/%s/signatures",
	    r->params[0]);
	return (US_OK);
}
