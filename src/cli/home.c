#include <sys/stat.h>

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "cli/cli.h"

/*
 * The project directory holds migrations/, assets/ and var/.  It is
 * UNDERSIGNED_HOME when set, else the nearest directory above the
 * executable that has migrations/, so bin/undersigned, a sanitizer build
 * under build/ and an installed copy all find their data.
 */
int
us_cli_home(char *out, size_t len)
{
	struct stat	 st;
	char		 exe[PATH_MAX], probe[PATH_MAX + 16];
	const char	*env;
	ssize_t		 n;
	char		*dir;

	if ((env = getenv("UNDERSIGNED_HOME")) != NULL && *env != '\0') {
		if (realpath(env, exe) == NULL)
			return (US_FAIL);
		(void)snprintf(out, len, "%s", exe);
		return (US_OK);
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) == -1)
		return (US_FAIL);
	exe[n] = '\0';
	for (dir = dirname(exe); strcmp(dir, "/") != 0; dir = dirname(dir)) {
		(void)snprintf(probe, sizeof(probe), "%s/migrations", dir);
		if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
			(void)snprintf(out, len, "%s", dir);
			return (US_OK);
		}
	}
	return (US_FAIL);
}
