#include <stdlib.h>
#include <string.h>

#include "siglist.h"

void
us_siglist_free(struct us_siglist *l)
{
	free(l->v);
	free(l->text);
	memset(l, 0, sizeof(*l));
}
