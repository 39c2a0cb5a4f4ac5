/*
 * The Kore edge.  Everything Kore-specific lives in src/http: one handler
 * (us_http_route) receives every request, finds its route, and each route
 * is three steps:
 *
 *   prepare  on the event loop: parse and validate the request (core/),
 *            answer at once on bad input; a large body on a route that
 *            needs authentication is only read here, and parsed in work
 *            once the token or session has been checked (body.c);
 *   work     in a task thread of the worker's pool (job.c): the database
 *            (db/), blocking libpq on the thread's own connection; no
 *            Kore calls;
 *   finish   on the event loop: turn the outcome into the response.
 *
 * The event loop therefore never waits on PostgreSQL, and a database
 * outage costs a 503, never a stuck worker.
 */
#ifndef US_HTTP_H
#define US_HTTP_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/fields.h"
#include "core/netaddr.h"
#include "core/paging.h"
#include "core/i18n.h"
#include "core/pagecache.h"
#include "core/route.h"
#include "core/tpl.h"
#include "db/db.h"
#include "plugin/plugin.h"

#define US_ROUTE_API		0x01	/* errors as JSON, not pages */
#define US_ROUTE_AUTH		0x02	/* needs a coordinator's Bearer token */
#define US_ROUTE_OPTAUTH	0x04	/* a Bearer token shows more */
#define US_ROUTE_SESSION	0x08	/* workspace: a signed-in coordinator */
#define US_ROUTE_CSRF		0x10	/* a form that must carry the token */
#define US_ROUTE_LIMIT_SIGN	0x20	/* counted per client (core/ratelimit.h) */
#define US_ROUTE_LIMIT_RESEND	0x40
#define US_ROUTE_LIMIT_LOGIN	0x80
#define US_ROUTE_LIMITS		(US_ROUTE_LIMIT_SIGN | US_ROUTE_LIMIT_RESEND | \
				    US_ROUTE_LIMIT_LOGIN)
#define US_ROUTE_FRAMABLE	0x100	/* may be shown in other sites' frames */

#define US_SESSION_COOKIE	"us_session"
#define US_LANG_COOKIE		"us_lang"

#define US_HTTP_DONE		1	/* prepare answered the request */
#define US_HTTP_WORK		2	/* run work, then finish */

#define US_RETRY_AFTER		"5"

/*
 * Body caps (docs/api.md lists each route's).  Before its token or
 * session is checked, a request gets at most US_BODY_PREAUTH_MAX bytes
 * parsed; the public sign form and API take US_BODY_SIGN_MAX, room for
 * every field at its longest even when each character is sent as a
 * four-byte UTF-8 sequence, percent-encoded.
 */
#define US_BODY_PREAUTH_MAX	(8 * 1024)
#define US_BODY_SIGN_MAX	(32 * 1024)
#define US_BODY_SMALL_MAX	4096

struct us_req;
struct us_job;

/* A request's use of the page cache (pagecache.c). */
struct us_pcreq {
	int			 on;		/* may be served from, stored */
	int			 hit;		/* work: held page still current */
	long long		 rev;		/* read by work; -1: none */
	char			 scope[US_ROUTE_PARAM_MAX + 8];
	char			 variant[64];
	struct us_pcache_item	*page;		/* held since prepare */
};

/*
 * A route without its own finish answers generically: an error page, a
 * 303 to r->redirect, or tpl rendered with r->out.
 */
struct us_route {
	int		 methods;
	const char	*pattern;
	int		 flags;
	int		(*prepare)(struct http_request *, struct us_req *);
	int		(*work)(struct us_db *, struct us_req *);
	void		(*finish)(struct http_request *, struct us_req *);
	const char	*tpl;
};

/* One request's state, from prepare through work to finish. */
struct us_req {
	const struct us_route	*route;
	char			 params[US_ROUTE_PARAMS][US_ROUTE_PARAM_MAX];
	size_t			 nparams;
	char			*bearer;
	long long		 coord;
	struct us_fields	 fields;	/* form or JSON input, raw */
	struct us_fields	 clean;		/* the same, validated */
	struct us_buf		 raw;		/* a body not parsed yet */
	char			*raw_type;	/* its Content-Type */
	int			(*parse)(struct us_req *); /* raw, after auth */
	json_t			*body;		/* parsed JSON body */
	json_t			*out;		/* model made by work */
	void			*in;
	void			(*in_free)(void *);
	struct us_error		 err;
	struct us_errlist	 errs;
	struct us_job		*job;
	char			 lang[8];	/* the reader's: en, ru */
	char			 client[US_NET_ADDR_MAX]; /* limited routes */
	int			 retry_after;	/* seconds, with a 429 */
	char			 lang_choice[US_I18N_CHOICE_MAX + 1]; /* ?lang=, cookie */
	char			 accept_lang[256]; /* Accept-Language */
	char			*session;	/* workspace cookie secret */
	char			 csrf[64];	/* the session's form token */
	json_t			*who;		/* the signed-in coordinator */
	char			 redirect[512];	/* answer 303 to this */
	struct us_buf		 file;		/* a download made by work */
	const char		*file_type;
	char			 file_name[300];
	struct us_pcreq		 pc;		/* page cache (pagecache.c) */
	/* api_lists.c, page_list.c: a paginated list */
	struct us_paging	 page;
	long long		 total;
};

/* The application, set up once in the parent before workers fork. */
struct us_app {
	struct us_config	 cfg;
	struct us_plugins	 plugins;
	struct us_tpls		 pages;
	json_t			*countries;
	struct us_asset		*assets;
	size_t			 nassets;
	char			 asset_version[17];	/* of all assets */
};

struct us_asset {
	char		*name;
	char		*data;
	size_t		 len;
	const char	*type;
	char		 etag[24];
};

extern struct us_app	us_app;

/* router.c */
int	us_http_route(struct http_request *);
void	us_req_free(struct us_req *);
void	us_http_finish(struct http_request *, struct us_req *);

/* job.c */
void	us_job_start(struct http_request *, struct us_req *);
int	us_job_done(const struct us_job *);
int	us_job_release(struct us_req *);
void	us_job_configure(const char *);

/* body.c */
int	us_http_body(struct http_request *, const struct us_req *, size_t,
	    struct us_buf *);
int	us_http_body_json(struct http_request *, struct us_req *, size_t);
int	us_http_body_form(struct http_request *, struct us_req *, size_t);

/* response.c */
void	us_http_json(struct http_request *, int, json_t *);
void	us_http_error(struct http_request *, const struct us_req *,
	    const struct us_error *);
void	us_http_fail(struct http_request *, const struct us_req *,
	    enum us_errkind, const char *, const char *, const char *);
void	us_http_page(struct http_request *, int, const char *, json_t *);
int	us_http_page_render(struct http_request *, const char *, json_t *,
	    struct us_buf *);
void	us_http_page_broken(struct http_request *);
void	us_http_redirect(struct http_request *, const char *);
void	us_http_cookie(struct http_request *, const char *, const char *,
	    long);
void	us_http_headers(struct http_request *);

/* Routes, one file per resource. */
int	us_health_work(struct us_db *, struct us_req *);
void	us_health_finish(struct http_request *, struct us_req *);

int	us_stmt_api_create_prepare(struct http_request *, struct us_req *);
int	us_stmt_api_create_work(struct us_db *, struct us_req *);
void	us_stmt_api_create_finish(struct http_request *, struct us_req *);
int	us_stmt_api_status_prepare(struct http_request *, struct us_req *);
int	us_stmt_api_status_work(struct us_db *, struct us_req *);
void	us_stmt_api_status_finish(struct http_request *, struct us_req *);
int	us_stmt_api_get_work(struct us_db *, struct us_req *);
int	us_coord_api_prepare(struct http_request *, struct us_req *);
int	us_coord_api_add_work(struct us_db *, struct us_req *);
int	us_coord_api_remove_work(struct us_db *, struct us_req *);
void	us_coord_api_finish(struct http_request *, struct us_req *);
void	us_stmt_api_get_finish(struct http_request *, struct us_req *);
int	us_edit_api_patch_work(struct us_db *, struct us_req *);
int	us_edit_api_translation_put_work(struct us_db *, struct us_req *);
int	us_edit_api_translation_get_work(struct us_db *, struct us_req *);
void	us_edit_api_finish(struct http_request *, struct us_req *);

int	us_sig_api_sign_prepare(struct http_request *, struct us_req *);
int	us_sig_sign_work(struct us_db *, struct us_req *);
void	us_sig_api_sign_finish(struct http_request *, struct us_req *);

int	us_verify_api_prepare(struct http_request *, struct us_req *);
int	us_verify_confirm_work(struct us_db *, struct us_req *);
void	us_verify_api_finish(struct http_request *, struct us_req *);
int	us_verify_page_work(struct us_db *, struct us_req *);
void	us_verify_page_finish(struct http_request *, struct us_req *);
void	us_verify_confirm_finish(struct http_request *, struct us_req *);
int	us_verify_resend_work(struct us_db *, struct us_req *);
void	us_verify_resend_finish(struct http_request *, struct us_req *);

int	us_page_cached_prepare(struct http_request *, struct us_req *,
	    const char *);
void	us_page_cached_answer(struct http_request *, struct us_req *,
	    const char *, const char *);
int	us_page_statement_prepare(struct http_request *, struct us_req *);
int	us_page_statement_work(struct us_db *, struct us_req *);
void	us_page_statement_finish(struct http_request *, struct us_req *);
int	us_page_sign_prepare(struct http_request *, struct us_req *);
int	us_page_sign_work(struct us_db *, struct us_req *);
int	us_page_form_again(struct us_db *, struct us_req *);
void	us_page_sign_finish(struct http_request *, struct us_req *);
void	us_page_check_email_finish(struct http_request *, struct us_req *);
int	us_page_index_work(struct us_db *, struct us_req *);
void	us_page_index_finish(struct http_request *, struct us_req *);

int	us_formats_prepare(struct http_request *, struct us_req *);

/* api_keys.c, page_proof.c */
int	us_keys_work(struct us_db *, struct us_req *);
void	us_keys_finish(struct http_request *, struct us_req *);
int	us_proof_form(struct http_request *, struct us_req *);
int	us_proof_prepare(struct http_request *, struct us_req *);
int	us_proof_work(struct us_db *, struct us_req *);
int	us_download_prepare(struct http_request *, struct us_req *);
int	us_download_work(struct us_db *, struct us_req *);
int	us_download_fetch(struct us_db *, const char *, const char *,
	    const struct us_format *, const char *, struct us_buf *,
	    struct us_error *);
json_t	*us_download_list(struct us_db *, const char *, const char *,
	    const char *, struct us_error *);
void	us_download_finish(struct http_request *, struct us_req *);
int	us_ws_render_preview_work(struct us_db *, struct us_req *);
void	us_ws_render_preview_finish(struct http_request *, struct us_req *);

int	us_page_preview_work(struct us_db *, struct us_req *);
void	us_page_preview_finish(struct http_request *, struct us_req *);
int	us_withdraw_page_work(struct us_db *, struct us_req *);
int	us_withdraw_work(struct us_db *, struct us_req *);

/* The coordinators' workspace (/w): ws_*.c */
int	us_ws_form_prepare(struct http_request *, struct us_req *);
int	us_ws_login_form(struct http_request *, struct us_req *);
int	us_ws_login_prepare(struct http_request *, struct us_req *);
int	us_ws_login_work(struct us_db *, struct us_req *);
int	us_ws_login_link_work(struct us_db *, struct us_req *);
int	us_ws_login_consume_work(struct us_db *, struct us_req *);
void	us_ws_login_consume_finish(struct http_request *, struct us_req *);
int	us_ws_logout_work(struct us_db *, struct us_req *);
void	us_ws_logout_finish(struct http_request *, struct us_req *);
int	us_ws_tokens_work(struct us_db *, struct us_req *);
int	us_ws_token_create_work(struct us_db *, struct us_req *);
int	us_ws_token_revoke_work(struct us_db *, struct us_req *);
int	us_ws_home_work(struct us_db *, struct us_req *);

/* ws_notices.c: the coordinators' digest setting and unsubscribe link */
int	us_ws_notices_work(struct us_db *, struct us_req *);
int	us_ws_unsubscribe_page_work(struct us_db *, struct us_req *);
int	us_ws_unsubscribe_prepare(struct http_request *, struct us_req *);
int	us_ws_unsubscribe_work(struct us_db *, struct us_req *);
int	us_ws_new_work(struct us_db *, struct us_req *);
int	us_ws_preview_work(struct us_db *, struct us_req *);
int	us_ws_publish_plan_work(struct us_db *, struct us_req *);
int	us_ws_save_work(struct us_db *, struct us_req *);
void	us_ws_save_finish(struct http_request *, struct us_req *);
int	us_ws_edit_work(struct us_db *, struct us_req *);
int	us_ws_statement_work(struct us_db *, struct us_req *);
void	us_ws_statement_finish(struct http_request *, struct us_req *);
int	us_ws_status_work(struct us_db *, struct us_req *);
int	us_ws_publish_work(struct us_db *, struct us_req *);
int	us_ws_preview_link_work(struct us_db *, struct us_req *);
int	us_ws_preview_revoke_work(struct us_db *, struct us_req *);
int	us_ws_coordinator_add_work(struct us_db *, struct us_req *);
int	us_ws_coordinator_remove_work(struct us_db *, struct us_req *);
int	us_ws_audit_work(struct us_db *, struct us_req *);
int	us_ws_signatures_work(struct us_db *, struct us_req *);
int	us_ws_decide_work(struct us_db *, struct us_req *);
int	us_ws_sig_edit_work(struct us_db *, struct us_req *);
int	us_ws_import_form_work(struct us_db *, struct us_req *);
int	us_ws_import_prepare(struct http_request *, struct us_req *);
int	us_ws_import_work(struct us_db *, struct us_req *);
int	us_import_api_prepare(struct http_request *, struct us_req *);
int	us_import_api_work(struct us_db *, struct us_req *);
void	us_import_api_finish(struct http_request *, struct us_req *);
int	us_export_work(struct us_db *, struct us_req *);
void	us_export_finish(struct http_request *, struct us_req *);
void	us_ws_labels(json_t *, const char *);
void	us_ws_labels_list(json_t *, const char *);

int	us_asset_prepare(struct http_request *, struct us_req *);
int	us_assets_load(const char *, struct us_error *);

/* pagecache.c: rendered pages kept per worker (docs/architecture.md) */
const struct us_pcache_item *us_pagecache_scope(const char *);
int	us_pagecache_begin(struct http_request *, struct us_req *,
	    const char *, const char *, const char *);
int	us_pagecache_check(struct us_db *, struct us_req *, const char *);
void	us_pagecache_answer(struct http_request *, struct us_req *,
	    const char *, const char *, const struct us_buf *, const char *);
void	us_pagecache_release(struct us_req *);
/* api_lists.c: paginated lists, the index of statements, the feed */
int	us_list_prepare(struct http_request *, struct us_req *);
int	us_sig_api_list_work(struct us_db *, struct us_req *);
void	us_sig_api_list_finish(struct http_request *, struct us_req *);
int	us_stmt_api_index_work(struct us_db *, struct us_req *);
void	us_stmt_api_index_finish(struct http_request *, struct us_req *);
int	us_feed_work(struct us_db *, struct us_req *);
void	us_feed_finish(struct http_request *, struct us_req *);

/* page_list.c: the list section of a statement page */
#define US_PAGE_LIST_SIZE	500
int	us_page_list(struct us_db *, json_t *, const char *, int,
	    const struct us_req *, const char *, struct us_error *);

/* page_model.c: what statement pages show, shared by page handlers. */
#define US_PAGE_VERSIONS_MAX	32	/* language versions looked at */

/* page_share.c: share links, card, goal and the embeddable widget. */
void	 us_page_share(json_t *, const char *);
void	 us_page_share_links(json_t *, const char *);
void	 us_page_embed_model(json_t *, const char *);
int	 us_page_card_work(struct us_db *, struct us_req *);
void	 us_page_card_finish(struct http_request *, struct us_req *);
int	 us_page_embed_prepare(struct http_request *, struct us_req *);
int	 us_page_embed_work(struct us_db *, struct us_req *);
void	 us_page_embed_finish(struct http_request *, struct us_req *);

void	 us_page_embargo_text(json_t *, const char *);
/* page_act.c: urgent actions' letter, ways to act, expiry, updates */
void	 us_page_act_model(json_t *, const char *, const char *);
json_t	*us_page_statement_model(struct us_db *, const char *, long long,
	    const struct us_req *, const char *, struct us_error *);
json_t	*us_page_countries(const char *, const char *);
void	 us_page_words(struct us_buf *, const char *, const char *,
	    const char *, unsigned long);
void	 us_page_form_state(json_t *, const struct us_fields *,
	    const struct us_errlist *, const char *);

/* Urgent actions: reports of actions taken, delivery to addressees. */
int	 us_page_actions(struct us_db *, json_t *, const char *, const char *,
	    struct us_error *);
void	 us_page_action_form(json_t *, const struct us_fields *,
	    const struct us_errlist *, const char *);
int	us_action_api_prepare(struct http_request *, struct us_req *);
int	us_action_work(struct us_db *, struct us_req *);
void	us_action_api_finish(struct http_request *, struct us_req *);
int	us_page_action_prepare(struct http_request *, struct us_req *);
int	us_page_action_work(struct us_db *, struct us_req *);
void	us_page_action_finish(struct http_request *, struct us_req *);
void	us_page_action_sent_finish(struct http_request *, struct us_req *);
int	us_action_link_work(struct us_db *, struct us_req *);
void	us_action_link_finish(struct http_request *, struct us_req *);
int	us_action_confirm_work(struct us_db *, struct us_req *);
void	us_action_confirm_finish(struct http_request *, struct us_req *);
int	us_delivery_api_work(struct us_db *, struct us_req *);
void	us_delivery_api_finish(struct http_request *, struct us_req *);
int	us_delivery_list_work(struct us_db *, struct us_req *);
void	us_delivery_list_finish(struct http_request *, struct us_req *);
int	us_ws_deliver_plan_work(struct us_db *, struct us_req *);
int	us_ws_deliver_work(struct us_db *, struct us_req *);

#endif
