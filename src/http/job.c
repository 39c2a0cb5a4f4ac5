#include <sys/socket.h>
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/log.h"
#include "core/ratelimit.h"
#include "core/token.h"
#include "http/http.h"

/*
 * Work runs on a pool of threads per worker that take jobs from one
 * queue, whichever thread is free.  Kore's own tasks hand each new task
 * to the next thread in turn, busy or not, so one slow job (a long
 * render, an export) would hold up every request queued behind it while
 * other threads sat idle; with one queue a reader's /healthz or page
 * waits only when every thread is busy.  The pool has task_threads
 * threads (conf/undersigned.conf), started with the worker's first job.
 *
 * A job is allocated apart from the request because a client may hang
 * up while a thread still uses it: the request then drops its claim
 * (orphan) and the job is freed when the thread is done.  done and
 * orphan are only touched on the event loop, never by a thread.  A
 * thread hands a finished job back through the done list and one byte
 * on a socket pair that the event loop watches.
 */
struct us_job {
	TAILQ_ENTRY(us_job)	 list;
	struct http_request	*req;
	struct us_req		*r;
	int			 done;
	int			 orphan;
};

TAILQ_HEAD(job_list, us_job);

static struct {
	struct kore_event	 evt;	/* first: Kore hands it to the handler */
	pthread_mutex_t		 lock;
	pthread_cond_t		 more;
	struct job_list		 queue;	/* waiting for a thread */
	struct job_list		 done;	/* finished, for the event loop */
	int			 fds[2]; /* thread -> event loop wake-up */
	int			 ready;
} pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.more = PTHREAD_COND_INITIALIZER,
};

#define JOB_EVENT_TYPE	0x5553	/* ours, apart from Kore's KORE_TYPE_* */

static void	 job_entry(struct us_job *);
static void	*job_thread(void *);
static void	 job_wakeup(void *, int);
static void	 job_free(struct us_job *);
static void	 pool_init(void);
static struct us_db *job_db(void);
static int	job_limit(struct us_db *, struct us_req *);

/* Each pool thread keeps one connection for its whole life. */
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
 * A limited route counts the request against its client's windows
 * before any other work; over the limit the work does not run and the
 * answer is 429.
 */
static int
job_limit(struct us_db *db, struct us_req *r)
{
	enum us_limit_kind	kind;
	int			retry;

	if (!us_app.cfg.rate_limits || !(r->route->flags & US_ROUTE_LIMITS))
		return (US_OK);
	if (r->route->flags & US_ROUTE_LIMIT_SIGN)
		kind = US_LIMIT_SIGN;
	else if (r->route->flags & US_ROUTE_LIMIT_RESEND)
		kind = US_LIMIT_RESEND;
	else
		kind = US_LIMIT_LOGIN;
	if (!us_db_limit_take(db, us_limit_get(kind), r->client, &retry,
	    &r->err))
		return (US_FAIL);
	if (retry == 0)
		return (US_OK);
	r->retry_after = retry;
	return (us_limit_refuse(&r->err, retry));
}

/*
 * In the worker, on its first job: the queue, the wake-up socket and the
 * threads (each connects to the database on its first job).
 */
static void
pool_init(void)
{
	pthread_t	 tid;
	pthread_attr_t	 attr;
	int		 i;

	TAILQ_INIT(&pool.queue);
	TAILQ_INIT(&pool.done);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pool.fds) == -1)
		fatal("job pool: socketpair: %s", errno_s);
	for (i = 0; i < 2; i++) {
		if (fcntl(pool.fds[i], F_SETFL, O_NONBLOCK) == -1)
			fatal("job pool: fcntl: %s", errno_s);
	}
	pool.evt.type = JOB_EVENT_TYPE;
	pool.evt.handle = job_wakeup;
	kore_platform_schedule_read(pool.fds[0], &pool.evt);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < kore_task_threads; i++) {
		if (pthread_create(&tid, &attr, job_thread, NULL) != 0)
			fatal("job pool: cannot start a thread");
	}
	pthread_attr_destroy(&attr);
	pool.ready = 1;
}

/* A pool thread: take the oldest job, run it, hand it back. */
static void *
job_thread(void *arg)
{
	struct us_job	*job;
	char		 c = 0;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&pool.lock);
		while ((job = TAILQ_FIRST(&pool.queue)) == NULL)
			pthread_cond_wait(&pool.more, &pool.lock);
		TAILQ_REMOVE(&pool.queue, job, list);
		pthread_mutex_unlock(&pool.lock);

		job_entry(job);

		pthread_mutex_lock(&pool.lock);
		TAILQ_INSERT_TAIL(&pool.done, job, list);
		pthread_mutex_unlock(&pool.lock);
		/* A full socket already has a wake-up pending: no loss. */
		while (write(pool.fds[1], &c, 1) == -1 && errno == EINTR)
			;
	}
	return (NULL);
}

/*
 * On the event loop: every finished job wakes its request, or is freed
 * when the client has gone.  The socket is edge-triggered: drain it.
 */
static void
job_wakeup(void *arg, int error)
{
	struct job_list	 done;
	struct us_job	*job;
	char		 buf[256];

	(void)arg;
	(void)error;
	while (read(pool.fds[0], buf, sizeof(buf)) > 0)
		;
	TAILQ_INIT(&done);
	pthread_mutex_lock(&pool.lock);
	TAILQ_CONCAT(&done, &pool.done, list);
	pthread_mutex_unlock(&pool.lock);
	while ((job = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, job, list);
		job->done = 1;
		if (job->orphan)
			job_free(job);
		else
			http_request_wakeup(job->req);
	}
}

/*
 * Runs in a pool thread.  With a bearer token the coordinator is
 * resolved first, so authentication shares the thread's connection and
 * retry rules with the work itself; a body kept raw by prepare is parsed
 * only after that (body.c).
 */
static void
job_entry(struct us_job *job)
{
	struct us_req	*r = job->r;
	struct us_db	*db = job_db();

	us_error_clear(&r->err);
	if (!job_limit(db, r))
		return;
	if (r->bearer != NULL && !us_db_coord_auth(db, r->bearer, &r->coord,
	    &r->err))
		return;
	if (r->session != NULL && !us_db_session_get(db, r->session,
	    &r->coord, r->csrf, sizeof(r->csrf), &r->who, &r->err))
		return;
	/* A large body is parsed only now, for a known coordinator. */
	if (r->parse != NULL && !r->parse(r))
		return;
	/* A state-changing form must carry this session's token. */
	if ((r->route->flags & US_ROUTE_CSRF) &&
	    !us_token_same(us_fields_get(&r->fields, "csrf"), r->csrf)) {
		us_error_set(&r->err, US_E_FORBIDDEN, "csrf", "bad_csrf",
		    "This form has expired or did not come from this site; "
		    "reload the page and try again.");
		return;
	}
	(void)r->route->work(db, r);
}

static void
job_free(struct us_job *job)
{
	struct us_req	*r = job->r;

	/* An orphan's request state was kept alive for the thread. */
	if (job->orphan)
		us_req_free(r);
	kore_free(job);
}

void
us_job_start(struct http_request *req, struct us_req *r)
{
	struct us_job	*job;

	if (!pool.ready)
		pool_init();
	job = kore_calloc(1, sizeof(*job));
	job->req = req;
	job->r = r;
	r->job = job;
	http_request_sleep(req);
	pthread_mutex_lock(&pool.lock);
	TAILQ_INSERT_TAIL(&pool.queue, job, list);
	pthread_cond_signal(&pool.more);
	pthread_mutex_unlock(&pool.lock);
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
