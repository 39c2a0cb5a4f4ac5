#include <stdlib.h>

#include "core/log.h"
#include "core/token.h"
#include "http/http.h"

/*
 * A unit of database work run in a Kore task thread.  It is allocated
 * apart from the request because a client may hang up while the thread
 * still uses it: the request then drops its claim (orphan) and the job
 * frees itself when the thread is done.  done and orphan are only touched
 * on the event loop, never by the thread.
 */
struct us_job {
	struct kore_task	 task;
	struct http_request	*req;
	struct us_req		*r;
	int			 done;
	int			 orphan;
};

static int	job_entry(struct kore_task *);
static void	job_finished(struct kore_task *);
static void	job_free(struct us_job *);
static struct us_db *job_db(void);

/* Each task thread keeps one connection for its whole life. */
static __thread struct us_db	*thread_db;
static char			*job_conninfo;

void
us_job_configure(const char *conninfo)
{
	free(job_conninfo);
	job_conninfo = us_strdup(conninfo);
}

static struct us_db *
job_db(void)
{
	if (thread_db == NULL)
		thread_db = us_db_new(job_conninfo);
	return (thread_db);
}

/*
 * Runs in the task thread.  With a bearer token the coordinator is
 * resolved first, so authentication shares the thread's connection and
 * retry rules with the work itself; a body kept raw by prepare is parsed
 * only after that (body.c).
 */
static int
job_entry(struct kore_task *t)
{
	struct us_job	*job = (struct us_job *)t;
	struct us_req	*r = job->r;
	struct us_db	*db = job_db();

	us_error_clear(&r->err);
	if (r->bearer != NULL && !us_db_coord_auth(db, r->bearer, &r->coord,
	    &r->err))
		return (KORE_RESULT_OK);
	if (r->session != NULL && !us_db_session_get(db, r->session,
	    &r->coord, r->csrf, sizeof(r->csrf), &r->who, &r->err))
		return (KORE_RESULT_OK);
	/* A large body is parsed only now, for a known coordinator. */
	if (r->parse != NULL && !r->parse(r))
		return (KORE_RESULT_OK);
	/* A state-changing form must carry this session's token. */
	if ((r->route->flags & US_ROUTE_CSRF) &&
	    !us_token_same(us_fields_get(&r->fields, "csrf"), r->csrf)) {
		us_error_set(&r->err, US_E_FORBIDDEN, "csrf", "bad_csrf",
		    "This form has expired or did not come from this site; "
		    "reload the page and try again.");
		return (KORE_RESULT_OK);
	}
	(void)r->route->work(db, r);
	return (KORE_RESULT_OK);
}

static void
job_finished(struct kore_task *t)
{
	struct us_job	*job = (struct us_job *)t;

	if (!kore_task_finished(t))
		return;
	job->done = 1;
	if (job->orphan) {
		job_free(job);
		return;
	}
	http_request_wakeup(job->req);
}

static void
job_free(struct us_job *job)
{
	struct us_req	*r = job->r;

	kore_task_destroy(&job->task);
	/* An orphan's request state was kept alive for the thread. */
	if (job->orphan)
		us_req_free(r);
	kore_free(job);
}

void
us_job_start(struct http_request *req, struct us_req *r)
{
	struct us_job	*job;

	job = kore_calloc(1, sizeof(*job));
	job->req = req;
	job->r = r;
	r->job = job;
	kore_task_create(&job->task, job_entry);
	kore_task_bind_callback(&job->task, job_finished);
	http_request_sleep(req);
	kore_task_run(&job->task);
}

int
us_job_done(const struct us_job *job)
{
	return (job->done);
}

/*
 * Called when the request is freed.  Returns 1 when the job (and the
 * request state it uses) now belongs to the running thread.
 */
int
us_job_release(struct us_req *r)
{
	struct us_job	*job = r->job;

	if (job == NULL)
		return (0);
	r->job = NULL;
	if (!job->done) {
		job->orphan = 1;
		job->req = NULL;
		return (1);
	}
	job_free(job);
	return (0);
}
