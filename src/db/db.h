/*
 * us_db: the only place that talks to PostgreSQL, through blocking libpq.
 * In the server it runs in Kore task threads (one connection per thread),
 * in the CLI and mail sender on the main thread.  Every query is
 * parameterised.  A broken connection is re-opened and the work retried
 * once before the caller sees US_E_UNAVAILABLE (HTTP 503).
 */
#ifndef US_DB_H
#define US_DB_H

#include <libpq-fe.h>
#include <jansson.h>

#include "core/error.h"
#include "core/token.h"

struct us_db {
	char		*conninfo;
	PGconn		*conn;
	int		 in_tx;
	unsigned long	 generation;	/* bumped on every new connection */
};

typedef int	(*us_db_fn)(struct us_db *, void *, struct us_error *);

struct us_db	*us_db_new(const char *);
void		 us_db_free(struct us_db *);
int		 us_db_connect(struct us_db *, struct us_error *);
PGresult	*us_db_query(struct us_db *, struct us_error *, const char *,
		    int, ...);
PGresult	*us_db_queryv(struct us_db *, struct us_error *, const char *,
		    int, const char *const *);
int		 us_db_exec(struct us_db *, struct us_error *, const char *,
		    int, ...);
json_t		*us_db_rows(struct us_db *, struct us_error *, const char *,
		    int, ...);
int		 us_db_tx(struct us_db *, us_db_fn, void *, struct us_error *);
int		 us_db_tx_keys_expire(struct us_db *, struct us_error *);

/* The random key each us_db_tx run writes into tx_keys, in bytes. */
#define US_TX_KEY_LEN	16
#define US_TX_KEY_HEX	(US_TX_KEY_LEN * 2 + 1)

/* A request key of one's own, for a unit that runs without us_db_tx. */
int	us_db_tx_key_new(char [US_TX_KEY_HEX], struct us_error *);
int	us_db_tx_committed(struct us_db *, const char *, struct us_error *);
json_t		*us_db_row_json(const PGresult *, int);
json_t		*us_db_rows_json(const PGresult *);
int		 us_db_digest_matches(const PGresult *, int, const char *);
int		 us_db_error_status(const PGresult *, PGconn *,
		    struct us_error *);

/*
 * A signature shows in public lists and counts once it is confirmed and,
 * where the statement asks for it, approved.  An imported row always
 * carries the coordinator's decision: approved at import, or left for
 * moderation whatever the statement asks.  sg and st are the aliases.
 */
#define US_SQL_PUBLIC_SIG \
	"sg.status = 'confirmed' AND (sg.approved_at IS NOT NULL OR " \
	"NOT (st.require_approval OR sg.source = 'import'))"

/* A confirmed signature that waits for a coordinator's approval. */
#define US_SQL_AWAITING \
	"(sg.status = 'confirmed' AND sg.approved_at IS NULL AND " \
	"(st.require_approval OR sg.source = 'import'))"

/*
 * The order of a public list: by date of confirmation, alphabetical
 * (ICU, so "Ёлка" sorts among the Е), or set by hand with the initiators
 * first.  sg and st are the aliases.
 */
#define US_SQL_LIST_ORDER \
	"CASE WHEN st.list_order = 'manual' THEN NOT sg.initiator END," \
	" CASE WHEN st.list_order = 'manual' THEN sg.display_order END" \
	" NULLS LAST," \
	" CASE WHEN st.list_order = 'alphabetical' THEN" \
	" coalesce(sg.display_name, sg.organisation) END COLLATE \"und-x-icu\"," \
	" coalesce(sg.confirmed_at, sg.created_at), sg.id"

/*
 * The public list of statement st (an SQL expression) as it is frozen and
 * signed: a jsonb array of {position, organisation, acronym, country,
 * country2} in display order; and its number of counted-only signatures.
 * The macros alias statements "st" and signatures "sg" inside: name the
 * outer statement otherwise (s0).
 */
#define US_SQL_PUBLIC_LIST(st) \
	"(SELECT coalesce(jsonb_agg(x ORDER BY x.position), '[]')" \
	" FROM (SELECT row_number() OVER (ORDER BY " US_SQL_LIST_ORDER ")" \
	" AS position, coalesce(sg.display_name, sg.organisation)" \
	" AS organisation, sg.acronym, sg.country, sg.country2" \
	" FROM signatures sg" \
	" JOIN statements st ON st.id = sg.statement_id" \
	" WHERE sg.statement_id = " st " AND sg.visibility = 'named' AND " \
	US_SQL_PUBLIC_SIG ") x)"

#define US_SQL_UNNAMED(st) \
	"(SELECT count(*) FROM signatures sg JOIN statements st" \
	" ON st.id = sg.statement_id WHERE sg.statement_id = " st \
	" AND sg.visibility = 'counted' AND " US_SQL_PUBLIC_SIG ")"

/* ISO 8601 in UTC for timestamps handed to clients. */
/*
 * A statement's time zone: its embargo zone, else UTC.  Its deadline as
 * a wall clock there, "2026-12-10 23:59", for people to read.
 */
#define US_SQL_STMT_ZONE(st) \
	"coalesce(" st ".embargo_timezone, 'UTC')"
#define US_SQL_DEADLINE_LOCAL(st) \
	"to_char(" st ".signing_deadline AT TIME ZONE " \
	US_SQL_STMT_ZONE(st) ", 'YYYY-MM-DD HH24:MI')"

/* The zone an urgent action expires in: its own, else UTC. */
#define US_SQL_EXPIRY_ZONE(st) \
	"coalesce(" st ".timezone, 'UTC')"

#define US_SQL_TS(col) \
	"to_char((" col ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

struct us_buf;
struct us_fields;
struct us_stmt_input;

/*
 * tokens.c: one kind of emailed link.  find takes the digest as $1 and
 * returns the columns hash (hex), used and expired (booleans) first, then
 * what the caller wants; use marks the link used if it is still valid
 * and returns the digest as hash first.
 */
struct us_db_token_kind {
	const char		*find;
	const char		*use;
	struct us_token_msgs	 msgs;
};

json_t	*us_db_token_find(struct us_db *, const struct us_db_token_kind *,
	    const char *, char [US_HASH_HEX + 1], enum us_token_state *,
	    struct us_error *);
json_t	*us_db_token_use(struct us_db *, const struct us_db_token_kind *,
	    const char *, struct us_error *);

/* migrate.c */
int	us_db_migrate(struct us_db *, const char *, int, struct us_error *);

/* coordinators.c */
int	us_db_coord_add(struct us_db *, const char *, const char *, char *,
	    struct us_error *);
int	us_db_coord_auth(struct us_db *, const char *, long long *,
	    struct us_error *);
json_t	*us_db_tokens_list(struct us_db *, long long, struct us_error *);
int	us_db_token_create(struct us_db *, long long, const char *, char *,
	    struct us_error *);
int	us_db_token_revoke(struct us_db *, long long, const char *,
	    struct us_error *);
int	us_db_ws_add_coordinator(struct us_db *, const char *, long long,
	    const char *, struct us_error *);
int	us_db_ws_remove_coordinator(struct us_db *, const char *, long long,
	    const char *, struct us_error *);
json_t	*us_db_ws_coordinators(struct us_db *, const char *, long long,
	    struct us_error *);

/* statements.c */
int	us_db_stmt_create(struct us_db *, const struct us_stmt_input *,
	    long long, struct us_error *);
int	us_db_stmt_set_status(struct us_db *, const char *, const char *,
	    long long, struct us_error *);
/* statements.c: a public page's revision (-1: no such statement) */
int	 us_db_stmt_revision(struct us_db *, const char *, long long *,
	    struct us_error *);
json_t	*us_db_stmt_get(struct us_db *, const char *, long long,
	    struct us_error *);
json_t	*us_db_stmt_list_public(struct us_db *, struct us_error *);
json_t	*us_db_translation(struct us_db *, const char *, const char *,
	    struct us_error *);

/* limits.c */
#define US_SQL_RECIPIENT_GAP	"10 minutes"

struct us_limit;
int	us_db_limit_take(struct us_db *, const struct us_limit *, const char *,
	    int *, struct us_error *);
int	us_db_mail_slot(struct us_db *, const char *, int, int, int *,
	    struct us_error *);
int	us_db_mail_queue(struct us_db *, const char *, const char *,
	    const char *, struct us_error *);
int	us_db_limits_purge(struct us_db *, struct us_error *);

/* signatures.c */
int	us_db_sig_sign(struct us_db *, const char *, const struct us_fields *,
	    const char *, struct us_error *);
int	us_db_sig_add_confirmed(struct us_db *, const char *,
	    const struct us_fields *, const char *, struct us_error *);

/*
 * lists.c: a page of a statement's public list (named, confirmed, and
 * approved where required), optionally searched; and the public index.
 * public: a draft is not found.  q: a search, NULL for the whole list;
 * countries: a PostgreSQL array literal of the country codes whose
 * names match q ("{}" for none).
 */
struct us_db_list_query {
	const char	*slug;
	int		 public;
	const char	*q;
	const char	*countries;
	long long	 limit;
	long long	 offset;
};
json_t	*us_db_sig_page(struct us_db *, const struct us_db_list_query *,
	    long long *, struct us_error *);
struct us_siglist;
int	us_db_sig_rows(struct us_db *, const char *, int, struct us_siglist *,
	    struct us_error *);
json_t	*us_db_stmt_index(struct us_db *, const char *, long long, long long,
	    long long *, struct us_error *);

/*
 * export.c: the coordinators' export streamed by COPY, each row handed
 * to row() as a line of COPY text format; row() fails by returning
 * US_FAIL with err set.
 */
typedef int	(*us_db_row_fn)(void *, const char *, size_t,
		    struct us_error *);
int	us_db_ws_export_stream(struct us_db *, const char *, long long,
	    us_db_row_fn, void *, struct us_error *);

/* render.c */
struct us_siglist;
json_t	*us_db_render_model(struct us_db *, const char *, const char *,
	    const char *, long long, struct us_siglist *, struct us_error *);
int	us_db_render_revision(struct us_db *, const char *, char *, size_t,
	    struct us_error *);

/* sessions.c: sign-in links and workspace sessions */
int	us_db_login_request(struct us_db *, const char *, struct us_error *);
json_t	*us_db_login_lookup(struct us_db *, const char *, struct us_error *);
int	us_db_login_consume(struct us_db *, const char *, const char *,
	    char *, char *, struct us_error *);
int	us_db_session_get(struct us_db *, const char *, long long *, char *,
	    size_t, json_t **, struct us_error *);
int	us_db_session_end(struct us_db *, const char *, struct us_error *);

/* audit.c */
int	us_db_audit(struct us_db *, const char *, long long, const char *,
	    const char *, const json_t *, const json_t *, struct us_error *);
json_t	*us_db_audit_list(struct us_db *, const char *, int, int,
	    struct us_error *);

/* access.c: may this coordinator act on this statement? */
#define US_DB_ID_LEN		32	/* a bigint in decimal, and NUL */
#define US_DB_STATUS_LEN	16
struct us_db_access {
	char	id[US_DB_ID_LEN];
	char	status[US_DB_STATUS_LEN];	/* draft, open ... */
	char	lang[36];			/* the text's language tag */
};
int	us_db_access(struct us_db *, const char *, long long,
	    struct us_db_access *, struct us_error *);
int	us_db_ws_own(struct us_db *, const char *, long long,
	    char [US_DB_ID_LEN], char [US_DB_STATUS_LEN], struct us_error *);

/* workspace.c: a coordinator's statements, preview; publish.c */
json_t	*us_db_ws_home(struct us_db *, long long, struct us_error *);
json_t	*us_db_ws_statement(struct us_db *, const char *, long long,
	    struct us_error *);
int	us_db_publish(struct us_db *, const char *, long long,
	    struct us_error *);
int	us_db_ws_publish(struct us_db *, const char *, long long,
	    const char *, int, struct us_error *);
json_t	*us_db_ws_publish_plan(struct us_db *, const char *, long long,
	    struct us_error *);
int	us_db_publish_due(struct us_db *, int *, struct us_error *);
/* How long an embargo preview link opens the statement, in days. */
#define US_PREVIEW_DAYS		14
#define US_PREVIEW_DAYS_MAX	90

int	us_db_ws_preview_link(struct us_db *, const char *, long long, int,
	    char *, struct us_error *);
int	us_db_ws_preview_revoke(struct us_db *, const char *, long long,
	    struct us_error *);
int	us_db_preview_ok(struct us_db *, const char *, const char *,
	    struct us_error *);

/* import.c: duplicates against the list, the import transaction */
struct us_import;
int	us_db_import(struct us_db *, const char *, long long,
	    struct us_import *, int, int, int *, struct us_error *);

/*
 * moderation.c: the moderation view (a filter, pages), decisions on
 * signatures (chosen ones, or all the filter covers), the full export
 */
#define US_DB_DECIDE_MAX	2000	/* signatures decided on at once */
#define US_DB_DUPES_SHOWN	3	/* likely duplicates named per row */
struct us_db_mod_filter {
	const char	*show;		/* queue, pending, public, rejected,
					   withdrawn, counted; else all */
	const char	*q;		/* searched for; "" or NULL: all */
	const char	*country;	/* a country q names (ISO), or NULL */
};
json_t	*us_db_ws_signatures(struct us_db *, const char *, long long,
	    const struct us_db_mod_filter *, int, int, struct us_error *);
int	us_db_ws_decide(struct us_db *, const char *, long long, const char *,
	    const char *, const char **, size_t,
	    const struct us_db_mod_filter *, int *, struct us_error *);
int	us_db_ws_sig_edit(struct us_db *, const char *, long long,
	    const char *, const char *, int, const char *, struct us_error *);
int	us_db_ws_list_order(struct us_db *, const char *, long long,
	    const char *, struct us_error *);
json_t	*us_db_ws_export(struct us_db *, const char *, long long,
	    struct us_error *);

/* editor.c */
int	us_db_stmt_lists(struct us_db *, const char *,
	    const struct us_stmt_input *, struct us_error *);
int	us_db_stmt_update(struct us_db *, const char *, long long,
	    const struct us_stmt_input *, const char *, const char *, int *,
	    struct us_error *);
int	us_db_translation_text(struct us_db *, const char *, const char *,
	    json_t *, struct us_error *);
json_t	*us_db_zones(struct us_db *, struct us_error *);
int	us_db_stmt_follows(struct us_db *, const char *, long long,
	    const char *, struct us_error *);
#define US_DB_TIME_LEN	32
int	us_db_time_convert(struct us_db *, const char *, const char *, int,
	    char [US_DB_TIME_LEN], struct us_error *);

/* withdraw.c */
json_t	*us_db_withdraw_lookup(struct us_db *, const char *,
	    struct us_error *);
json_t	*us_db_withdraw(struct us_db *, const char *, struct us_error *);

/* verify.c */
json_t	*us_db_verify_lookup(struct us_db *, const char *, struct us_error *);
json_t	*us_db_verify_confirm(struct us_db *, const char *,
	    struct us_error *);
int	us_db_verify_resend(struct us_db *, const char *, struct us_error *);

/* records.c: signing keys, the log after publication, signed records */
int	us_db_keys_ensure(struct us_db *, struct us_error *);
int	us_db_keys_rotate(struct us_db *, struct us_error *);
json_t	*us_db_keys_list(struct us_db *, struct us_error *);
int	us_db_record_make(struct us_db *, const char *, struct us_error *);
int	us_db_log_append(struct us_db *, const char *, json_t *,
	    struct us_error *);
json_t	*us_db_log_removal(struct us_db *, const char *, const char *,
	    const char *, struct us_error *);
json_t	*us_db_record_latest(struct us_db *, const char *, struct us_error *);
json_t	*us_db_log_list(struct us_db *, const char *, struct us_error *);
json_t	*us_db_record_by_digest(struct us_db *, const char *,
	    struct us_error *);

/* outbox.c */
/* Verification mail per minute, overall and per statement; 0: no cap. */
struct us_mail_caps {
	int	per_minute;
	int	per_statement;
};

json_t	*us_db_outbox_claim(struct us_db *, const struct us_mail_caps *, int,
	    struct us_error *);
int	us_db_outbox_sent(struct us_db *, const long long *,
	    const char *const *, size_t, struct us_error *);
int	us_db_outbox_failed(struct us_db *, const json_t *, int,
	    const char *, int, int, struct us_error *);

/* notices.c: the digest to coordinators, the reminder to signers */
int	us_db_notices_queue(struct us_db *, int *, int *, struct us_error *);
int	us_db_notices_off(struct us_db *, const char *, int,
	    struct us_error *);
json_t	*us_db_notices_token(struct us_db *, const char *, struct us_error *);
int	us_db_notices_setting(struct us_db *, long long, int, const char *,
	    struct us_error *);
int	us_db_notices_get(struct us_db *, long long, int *,
	    struct us_error *);

/* actions.c: reports of actions taken; deliveries.c: to the addressees */
int	us_db_action_report(struct us_db *, const char *,
	    const struct us_fields *, const char *, struct us_error *);
json_t	*us_db_action_lookup(struct us_db *, const char *, struct us_error *);
json_t	*us_db_action_confirm(struct us_db *, const char *,
	    struct us_error *);
int	us_db_action_counts(struct us_db *, const char *, json_t *,
	    struct us_error *);
int	us_db_deliver(struct us_db *, const char *, long long, const char *,
	    const char *, const struct us_buf *, struct us_error *);
json_t	*us_db_deliveries(struct us_db *, const char *, long long,
	    struct us_error *);
json_t	*us_db_action_page(struct us_db *, const char *, struct us_error *);

/* retention.c */
int	us_db_retention_run(struct us_db *, int, long long *, long long *,
	    struct us_error *);

#endif
