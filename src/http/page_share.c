#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/card.h"
#include "core/escape.h"
#include "core/markdown.h"
#include "core/share.h"
#include "http/http.h"

/*
 * What a statement offers to be passed on: share links, the og: and
 * Twitter card metadata with its picture (the share card, a PNG drawn
 * per revision), the signature goal's progress, and the embeddable
 * widget.  The models are built from (statement, language) alone, so
 * that a page cache can keep what they render.
 */

#define CARD_CACHE_MAX	32	/* cards kept per worker, newest first */
#define CARD_CACHE_KEY	(US_ROUTE_PARAM_MAX + 64)

struct card_entry {
	char		key[CARD_CACHE_KEY];	/* slug, version, revision */
	struct us_buf	png;
};

/*
 * Cards drawn by this worker's task threads, most recently used first:
 * a crawler storm on one statement draws its card once, and a changed
 * count names a new revision (the old one ages out).
 */
static struct card_entry	card_cache[CARD_CACHE_MAX];
static size_t			card_ncache;
static pthread_mutex_t		card_lock = PTHREAD_MUTEX_INITIALIZER;

static void	share_card(const json_t *, struct us_card *);
static const char *share_version(json_t *, const char *);
static int	card_cached(const char *, struct us_buf *);
static void	card_keep(const char *, const struct us_buf *);

/* "312 of 500 signatures" and the bar's numbers, when there is a goal. */
static void
share_goal(json_t *st, const char *lang)
{
	json_int_t	 count, goal;
	struct us_buf	 b;
	const char	*at;
	char		 num[32], *t;

	goal = json_integer_value(json_object_get(st, "goal"));
	if (goal < 1)
		return;
	count = json_integer_value(json_object_get(st, "signature_count"));
	us_buf_init(&b);
	us_page_words(&b, lang, US_NN_("{count} of {n} signature",
	    "{count} of {n} signatures"), (unsigned long)goal);
	(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, count);
	t = us_strdup(b.data);
	us_buf_reset(&b);
	if ((at = strstr(t, "{count}")) != NULL) {
		us_buf_append(&b, t, (size_t)(at - t));
		us_buf_puts(&b, num);
		us_buf_puts(&b, at + 7);
	} else
		us_buf_puts(&b, t);
	free(t);
	json_object_set_new(st, "goal_text", json_string(b.data));
	/* A bar past its end says nothing more: it stops full. */
	json_object_set_new(st, "goal_value", json_integer(count > goal ?
	    goal : count));
	json_object_set_new(st, "has_goal", json_true());
	us_buf_free(&b);
}

/*
 * The card of the version shown: its title, the count in its language,
 * who coordinates, this site.  Strings stay owned by st.
 */
static void
share_card(const json_t *st, struct us_card *c)
{
	const char	*site;

	memset(c, 0, sizeof(*c));
	c->title = json_string_value(json_object_get(st, "title"));
	c->count_text = json_string_value(json_object_get(st,
	    "card_count_text"));
	c->by = json_string_value(json_object_get(st, "card_by"));
	site = us_app.cfg.public_url;
	if (strstr(site, "://") != NULL)
		site = strstr(site, "://") + 3;
	c->site = site;
	c->lang = json_string_value(json_object_get(st, "lang"));
	c->count = (long)json_integer_value(json_object_get(st,
	    "signature_count"));
	c->goal = (long)json_integer_value(json_object_get(st, "goal"));
}

/* The card's sentences, in the language of the version it shows. */
static void
share_card_text(json_t *st)
{
	struct us_buf	 b;
	const char	*lang, *org;

	lang = json_string_value(json_object_get(st, "lang"));
	us_buf_init(&b);
	us_page_words(&b, lang, US_NN_("{n} organisation has signed.",
	    "{n} organisations have signed."), (unsigned long)
	    json_integer_value(json_object_get(st, "signature_count")));
	json_object_set_new(st, "card_count_text", json_string(b.data));
	org = json_string_value(json_object_get(st,
	    "coordinator_organisation"));
	if (org != NULL && *org != '\0') {
		us_buf_reset(&b);
		us_buf_puts(&b, us_i18n(lang, "Coordinated by"));
		us_buf_putc(&b, ' ');
		us_buf_puts(&b, org);
		json_object_set_new(st, "card_by", json_string(b.data));
	}
	us_buf_free(&b);
}

/*
 * Everything a page needs to be shared, for a statement model whose
 * "lang" is the version shown and whose title is that version's: the
 * address, the links, a description cut at a word, the card's address
 * with its revision, and the goal.
 */
void
us_page_share(json_t *st, const char *lang)
{
	struct us_card	 c;
	struct us_buf	 b;
	const char	*slug, *md, *version, *base;
	char		 rev[US_CARD_REV_LEN + 1], *lede;

	slug = json_string_value(json_object_get(st, "slug"));
	us_buf_init(&b);
	us_buf_appendf(&b, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&b, slug);
	json_object_set_new(st, "canonical_url", json_string(b.data));
	json_object_set_new(st, "share_links", us_share_links(b.data,
	    json_string_value(json_object_get(st, "title")), lang));

	if ((md = json_string_value(json_object_get(st, "body_markdown"))) !=
	    NULL) {
		lede = us_md_first_paragraph(md);
		us_buf_reset(&b);
		us_share_cut(&b, lede, US_SHARE_DESCRIPTION_MAX);
		if (b.len > 0)
			json_object_set_new(st, "share_description",
			    json_string(b.data));
		free(lede);
	}

	share_card_text(st);
	share_card(st, &c);
	us_card_revision(&c, rev);
	version = json_string_value(json_object_get(st, "lang"));
	base = json_string_value(json_object_get(st, "base_lang"));
	us_buf_reset(&b);
	us_buf_appendf(&b, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&b, slug);
	us_buf_appendf(&b, "/card.png?v=%s", rev);
	if (version != NULL && base != NULL && strcmp(version, base) != 0) {
		us_buf_puts(&b, "&lang=");
		us_esc_url(&b, version);
	}
	json_object_set_new(st, "card_url", json_string(b.data));
	us_buf_free(&b);
	share_goal(st, lang);
}

/*
 * The thank-you page's links: the statement the signer has just joined,
 * shared in the language they read it in.
 */
void
us_page_share_links(json_t *model, const char *lang)
{
	struct us_buf	 b;
	const char	*slug, *title;

	slug = json_string_value(json_object_get(model, "slug"));
	title = json_string_value(json_object_get(model, "title"));
	if (slug == NULL || title == NULL)
		return;
	us_buf_init(&b);
	us_buf_appendf(&b, "%s/s/", us_app.cfg.public_url);
	us_esc_url(&b, slug);
	json_object_set_new(model, "canonical_url", json_string(b.data));
	json_object_set_new(model, "share_links", us_share_links(b.data,
	    title, lang));
	us_buf_free(&b);
}

/*
 * The version of st named by want, if st has it, with its title put in
 * place; NULL (the statement's own) otherwise.
 */
static const char *
share_version(json_t *st, const char *want)
{
	json_t	*t;
	size_t	 i;

	if (want == NULL || *want == '\0')
		return (NULL);
	json_array_foreach(json_object_get(st, "translations"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "lang")),
		    want) == 0) {
			json_object_set(st, "title", json_object_get(t,
			    "title"));
			json_object_set_new(st, "lang", json_string(want));
			return (want);
		}
	}
	return (NULL);
}

/* A statement with its version chosen: base_lang kept, lang the version. */
static json_t *
share_statement(struct us_db *db, struct us_req *r, const char *want)
{
	json_t	*st;

	if ((st = us_db_stmt_get(db, r->params[0], 0, &r->err)) == NULL)
		return (NULL);
	json_object_set(st, "base_lang", json_object_get(st, "lang"));
	(void)share_version(st, want);
	return (st);
}

static int
card_cached(const char *key, struct us_buf *out)
{
	struct card_entry	e;
	size_t			i;
	int			found = 0;

	pthread_mutex_lock(&card_lock);
	for (i = 0; i < card_ncache; i++) {
		if (strcmp(card_cache[i].key, key) != 0)
			continue;
		us_buf_append(out, card_cache[i].png.data,
		    card_cache[i].png.len);
		/* To the front: the least recently used goes first. */
		e = card_cache[i];
		memmove(&card_cache[1], &card_cache[0], i * sizeof(e));
		card_cache[0] = e;
		found = 1;
		break;
	}
	pthread_mutex_unlock(&card_lock);
	return (found);
}

static void
card_keep(const char *key, const struct us_buf *png)
{
	struct card_entry	e;

	memset(&e, 0, sizeof(e));
	(void)snprintf(e.key, sizeof(e.key), "%s", key);
	us_buf_init(&e.png);
	us_buf_append(&e.png, png->data, png->len);
	pthread_mutex_lock(&card_lock);
	if (card_ncache == CARD_CACHE_MAX)
		us_buf_free(&card_cache[--card_ncache].png);
	memmove(&card_cache[1], &card_cache[0], card_ncache * sizeof(e));
	card_cache[0] = e;
	card_ncache++;
	pthread_mutex_unlock(&card_lock);
}

/*
 * GET /s/{slug}/card.png?v=&lang=: the card as it is now.  v only makes
 * the address change with the picture; a missing or old v still gets
 * the current card, with a short cache life.
 */
int
us_page_card_work(struct us_db *db, struct us_req *r)
{
	struct us_card	 c;
	json_t		*st;
	char		 rev[US_CARD_REV_LEN + 1], key[CARD_CACHE_KEY];
	int		 ok = US_FAIL;

	if ((st = share_statement(db, r, us_fields_get(&r->fields,
	    "lang"))) == NULL)
		return (US_FAIL);
	share_card_text(st);
	share_card(st, &c);
	us_card_revision(&c, rev);
	(void)snprintf(key, sizeof(key), "%s/%s/%s", r->params[0],
	    json_string_value(json_object_get(st, "lang")), rev);
	us_buf_init(&r->file);
	if (card_cached(key, &r->file))
		ok = US_OK;
	else if (us_card_png(&c, &r->file, &r->err)) {
		card_keep(key, &r->file);
		ok = US_OK;
	}
	/* The revision drawn, for finish to compare with the one asked for. */
	(void)snprintf(r->file_name, sizeof(r->file_name), "%s", rev);
	json_decref(st);
	return (ok);
}

void
us_page_card_finish(struct http_request *req, struct us_req *r)
{
	const char	*inm, *v;
	char		 etag[US_CARD_REV_LEN + 3];
	int		 current;

	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	v = us_fields_get(&r->fields, "v");
	current = v != NULL && strcmp(v, r->file_name) == 0;
	(void)snprintf(etag, sizeof(etag), "\"%.*s\"", US_CARD_REV_LEN,
	    r->file_name);
	us_http_headers(req);
	http_response_header(req, "etag", etag);
	/* The revision names the picture: that address never changes. */
	http_response_header(req, "cache-control", current ?
	    "public, max-age=31536000, immutable" : "public, max-age=300");
	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, etag) == 0) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return;
	}
	http_response_header(req, "content-type", "image/png");
	http_response(req, HTTP_STATUS_OK, r->file.data, r->file.len);
}

/*
 * GET /s/{slug}/embed: the widget other sites frame.  The version is the
 * reader's, chosen as on the page; the model is built from (statement,
 * language) only.
 */
void
us_page_embed_model(json_t *st, const char *lang)
{
	struct us_buf	b;

	us_buf_init(&b);
	if (json_integer_value(json_object_get(st, "signature_count")) == 0)
		us_buf_puts(&b, us_i18n(lang, "No organisation has signed yet."));
	else
		us_page_words(&b, lang, US_NN_("{n} organisation has signed.",
		    "{n} organisations have signed."), (unsigned long)
		    json_integer_value(json_object_get(st, "signature_count")));
	json_object_set_new(st, "count_text", json_string(b.data));
	us_buf_free(&b);
	us_page_share(st, lang);
	json_object_set_new(st, "open", json_boolean(strcmp(
	    json_string_value(json_object_get(st, "status")), "open") == 0 &&
	    !json_is_true(json_object_get(st, "deadline_passed"))));
}

int
us_page_embed_work(struct us_db *db, struct us_req *r)
{
	const char	*v[US_PAGE_VERSIONS_MAX];
	json_t		*st, *t;
	size_t		 i, n = 0;
	int		 k;

	/* The revision first: a change after it is seen at the next check. */
	if (!us_pagecache_check(db, r, r->params[0]))
		return (US_FAIL);
	if (r->pc.hit)
		return (US_OK);
	if ((st = share_statement(db, r, NULL)) == NULL)
		return (US_FAIL);
	v[n++] = json_string_value(json_object_get(st, "lang"));
	json_array_foreach(json_object_get(st, "translations"), i, t) {
		if (n == US_PAGE_VERSIONS_MAX)
			break;
		v[n++] = json_string_value(json_object_get(t, "lang"));
	}
	k = us_i18n_choose(r->accept_lang, r->lang_choice, v, n);
	if (k > 0)
		(void)share_version(st, v[k]);
	us_page_embed_model(st, r->lang);
	r->out = st;
	return (US_OK);
}

void
us_page_embed_finish(struct http_request *req, struct us_req *r)
{
	if (r->err.kind != US_E_NONE) {
		us_http_error(req, r, &r->err);
		return;
	}
	us_page_cached_answer(req, r, "embed.", "embed.html");
}

/* GET /s/{slug}/embed: from the page cache, as the statement page. */
int
us_page_embed_prepare(struct http_request *req, struct us_req *r)
{
	return (us_page_cached_prepare(req, r, "embed."));
}
