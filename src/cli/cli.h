/*
 * bin/undersigned: the command-line tool.  Plain C and libpq: it shares
 * core/ and db/ with the server but never Kore.
 */
#ifndef US_CLI_H
#define US_CLI_H

#include "core/config.h"
#include "db/db.h"

int	us_cli_home(char *, size_t);
int	us_cli_demo(const struct us_config *, struct us_db *);
int	us_cli_render(const struct us_config *, int, char **);
int	us_cli_formats(const struct us_config *);
int	us_cli_verify(int, char **);
int	us_cli_keys(const struct us_config *, int, char **);
int	us_cli_backup(const struct us_config *, int, char **);

#endif
