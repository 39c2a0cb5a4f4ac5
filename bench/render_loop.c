/*
 * render_loop: renders one model with one plugin several times in one
 * process, the way a server worker does, and prints the time of each
 * render after the first (which loads fonts and fills caches).
 *
 *	render_loop PLUGIN_DIR FORMAT MODEL.json RUNS
 *
 * Prints "render S" per timed run, then "output BYTES".  Built and run by
 * bench/pdf_bench.py against the objects of `make`; not part of the
 * product.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "plugin/plugin.h"

static void
report(const char *path, const char *why)
{
	fprintf(stderr, "render_loop: plugin %s refused: %s\n", path, why);
}

static double
now(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	struct us_plugins	 set;
	const struct us_plugin	*p;
	struct us_model		 m;
	struct us_error		 err;
	struct us_buf		 out;
	json_error_t		 jerr;
	json_t			*doc;
	double			 t;
	int			 i, runs;

	if (argc != 5 || (runs = atoi(argv[4])) < 1) {
		fprintf(stderr, "usage: render_loop PLUGIN_DIR FORMAT "
		    "MODEL.json RUNS\n");
		return (2);
	}
	(void)us_plugins_load(&set, argv[1], report);
	if ((p = us_plugins_find(&set, argv[2])) == NULL) {
		fprintf(stderr, "render_loop: no format %s\n", argv[2]);
		return (1);
	}
	if ((doc = json_load_file(argv[3], 0, &jerr)) == NULL) {
		fprintf(stderr, "render_loop: %s: %s\n", argv[3], jerr.text);
		return (1);
	}
	us_error_clear(&err);
	if (!us_model_build(&m, doc, &err)) {
		fprintf(stderr, "render_loop: %s\n", err.message);
		return (1);
	}

	us_buf_init(&out);
	for (i = 0; i <= runs; i++) {
		us_buf_reset(&out);
		t = now();
		if (!us_plugin_render(p, &m.st, &out, &err)) {
			fprintf(stderr, "render_loop: %s\n", err.message);
			return (1);
		}
		t = now() - t;
		if (i > 0)
			printf("render %.6f\n", t);
	}
	printf("output %zu\n", out.len);

	us_buf_free(&out);
	us_model_free(&m);
	json_decref(doc);
	us_plugins_unload(&set);
	return (0);
}
