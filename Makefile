# undersigned — see README.md.  `make run` and `make test` are the two
# commands a newcomer needs; everything else here serves them.

CC		?= cc
BUILD		?= build
BIN		?= bin
PKGS		 = jansson libcmark openssl libpq libcurl xlsxwriter libidn2 \
		   pangocairo

WARN		 = -Wall -Wextra -Werror -Wstrict-prototypes \
		   -Wmissing-prototypes -Wmissing-declarations -Wshadow \
		   -Wpointer-arith -Wsign-compare -Wformat=2
CFLAGS		?= -O2 -g
CFLAGS		+= -std=c11 -D_GNU_SOURCE -fPIC -fstack-protector-strong \
		   $(WARN) -Isrc -Iplugins $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS		 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

# `make SAN=1` builds the same code with AddressSanitizer and UBSan into
# build/asan; `make test` runs every suite once against that build too.
ifeq ($(SAN),1)
BUILD		 = build/asan
BIN		 = build/asan/bin
CFLAGS		+= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=undefined
LDFLAGS		+= -fsanitize=address,undefined
endif

KORE_CFLAGS	 = -DKORE_USE_PGSQL -DKORE_USE_TASKS -I/usr/include/postgresql

CORE_SRC	 = $(sort $(wildcard src/core/*.c))
DB_SRC		 = $(sort $(wildcard src/db/*.c))
MAIL_SRC	 = $(sort $(wildcard src/mail/*.c))
HTTP_SRC	 = $(sort $(wildcard src/http/*.c))
LOADER_SRC	 = $(sort $(wildcard src/plugin/*.c))
CLI_SRC		 = $(sort $(wildcard src/cli/*.c))
UNIT_SRC	 = $(sort $(wildcard tests/unit/test_*.c))

# plugins/common/table.c (formula guard, CSV quoting) is shared by the
# server's exports and the list plugins: one table writer for both.
CORE_OBJ	 = $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/plugins/common/table.o
DB_OBJ		 = $(DB_SRC:%.c=$(BUILD)/%.o)
MAIL_OBJ	 = $(MAIL_SRC:%.c=$(BUILD)/%.o)
HTTP_OBJ	 = $(HTTP_SRC:%.c=$(BUILD)/%.o)
LOADER_OBJ	 = $(LOADER_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ		 = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN	 = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# UI translations: assets/locale/LANG.po becomes LANG/undersigned.mo under
# $(BUILD)/locale, where the server finds them (see src/core/i18n.h).
LOCALE_PO	 = $(sort $(wildcard assets/locale/*.po))
LOCALE_MO	 = $(LOCALE_PO:assets/locale/%.po=$(BUILD)/locale/%/undersigned.mo)

MODULE		 = $(BUILD)/undersigned.so
CLI		 = $(BIN)/undersigned

# Output plugins: plugins/NAME/*.c becomes NAME.so in the plugin
# directory, linked with the pkg-config packages listed in plugins/NAME/pkgs.
# They see only plugins/undersigned-plugin.h, never src/.
PLUGIN_OUT	?= plugins
ifeq ($(SAN),1)
PLUGIN_OUT	 = build/asan/plugins
endif
PLUGIN_NAMES	 = $(filter-out common,$(sort $(notdir $(patsubst %/,%,\
		   $(dir $(wildcard plugins/*/*.c))))))
PLUGINS		 = $(PLUGIN_NAMES:%=$(PLUGIN_OUT)/%.so)
PLUGIN_CFLAGS	 = $(filter-out -Isrc -Iplugins,$(CFLAGS)) -Iplugins -Iplugins/common \
		   -fvisibility=hidden
# plugins/common: helpers shared by this tree's plugins, linked statically
# into each (a plugin takes only the objects it uses).
PLUGIN_COMMON_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(wildcard plugins/common/*.c))
PLUGIN_COMMON	 = $(BUILD)/plugins/libcommon.a
# A plugin may build on another's sources: the letter plugin lays out its
# pages with the PDF plugin's page engine (PLUGIN_USES_<name>).
PLUGIN_USES_letter = plugins/pdf/page.c plugins/pdf/quick.c \
		   plugins/pdf/markdown.c plugins/pdf/text.c

.PHONY: all server deps deps-run run test test-unit test-cluster clean \
		clean-data check fuzz fuzz-build bench install compile_commands.json

# server: what `make run` needs; all: that and the unit tests.
server: $(MODULE) $(CLI) $(PLUGINS) $(LOCALE_MO)

all: server $(UNIT_BIN)

deps:
	@scripts/deps.sh test

deps-run:
	@scripts/deps.sh run

$(BUILD)/src/http/%.o: src/http/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KORE_CFLAGS) -Iplugins -MMD -MP -c $< -o $@

$(BUILD)/src/plugin/%.o: src/plugin/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iplugins -MMD -MP -c $< -o $@

$(BUILD)/src/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iplugins -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(MODULE): $(CORE_OBJ) $(DB_OBJ) $(LOADER_OBJ) $(HTTP_OBJ)
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CLI): $(CORE_OBJ) $(DB_OBJ) $(LOADER_OBJ) $(MAIL_OBJ) $(CLI_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(LDLIBS) -lcmocka

# --check refuses a catalogue whose header, plural forms or printf
# directives do not match its msgids, before a reader sees it.
$(BUILD)/locale/%/undersigned.mo: assets/locale/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(BUILD)/plugins/common/%.o: plugins/common/%.c
	@mkdir -p $(dir $@)
	$(CC) $(PLUGIN_CFLAGS) $(shell pkg-config --cflags libcmark) -MMD -MP \
	    -c $< -o $@

$(PLUGIN_COMMON): $(PLUGIN_COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

.SECONDEXPANSION:
$(PLUGIN_OUT)/%.so: $$(wildcard plugins/%/*.c) $$(wildcard plugins/%/*.h) \
    $$(PLUGIN_USES_$$*) $$(wildcard $$(dir $$(PLUGIN_USES_$$*))*.h) \
    plugins/undersigned-plugin.h $(PLUGIN_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(PLUGIN_CFLAGS) $(LDFLAGS) -shared -Wl,-z,defs -o $@ \
	    $(wildcard plugins/$*/*.c) $(PLUGIN_USES_$*) $(PLUGIN_COMMON) \
	    $(shell pkg-config --cflags --libs $$(cat plugins/$*/pkgs 2>/dev/null) 2>/dev/null)

run: deps-run
	@$(MAKE) --no-print-directory server
	@scripts/run.sh

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 all
	@scripts/test.sh

test-unit: all
	@scripts/test.sh unit

# The cluster test's long form: each phase of the load (two nodes, one
# node, after the failover) runs 20 s instead of 2 s.
test-cluster: deps
	@$(MAKE) --no-print-directory all
	@US_CLUSTER_SECONDS=$${US_CLUSTER_SECONDS:-20} scripts/test.sh cluster

check: all
	@$(CLI) check-config

# libFuzzer targets (tests/fuzz): clang with ASan and UBSan, the core
# built again with coverage into build/fuzz.  `make fuzz` runs each for
# FUZZ_SECONDS; `make test` runs each briefly over its seed corpus.
FUZZ_CC		 = clang
FUZZ_SECONDS	?= 240
FUZZ_CFLAGS	 = $(filter-out -O2,$(CFLAGS)) -O1 -fno-omit-frame-pointer \
		   -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=undefined
FUZZ_SRC	 = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN	 = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CORE	 = $(CORE_SRC:%.c=build/fuzz/%.o) build/fuzz/plugins/common/table.o

build/fuzz/src/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/plugins/common/table.o: plugins/common/table.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_CORE)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE) \
	    $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# The benchmarks (docs/benchmarks.md): abuse, mail, throughput, lists.
bench: server
	@bench/abuse.sh
	@bench/mail.sh
	@/usr/bin/python3 bench/throughput.py
	@bench/lists.sh

# `make install`: a production layout (docs/deploy.md).  DATADIR is the
# directory the server and the CLI run in (assets, migrations and the
# compiled catalogues, as in the source tree); its var/ is a link to the
# state directory, which is also the workers' chroot.  Files ending in .in
# get the paths below substituted.
PREFIX		?= /usr/local
DESTDIR		?=
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib/undersigned
DATADIR		?= $(PREFIX)/share/undersigned
MANDIR		?= $(PREFIX)/share/man
SYSCONFDIR	?= /etc
STATEDIR	?= /var/lib/undersigned
RUNDIR		?= /run/undersigned
UNITDIR		?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR	?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR	?= $(PREFIX)/lib/tmpfiles.d
RUNAS		?= undersigned
INSTALL		?= install
SUBST		 = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		   -e 's|@DATADIR@|$(DATADIR)|g' \
		   -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		   -e 's|@STATEDIR@|$(STATEDIR)|g' -e 's|@RUNDIR@|$(RUNDIR)|g' \
		   -e 's|@RUNAS@|$(RUNAS)|g'
UNITS		 = $(sort $(wildcard conf/systemd/*.service.in conf/systemd/*.timer.in))

install: server
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/plugins \
	    $(DESTDIR)$(DATADIR)/migrations $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(SYSCONFDIR)/undersigned \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(STATEDIR)
	$(INSTALL) -m 755 $(CLI) $(DESTDIR)$(BINDIR)/undersigned
	$(INSTALL) -m 644 $(MODULE) $(DESTDIR)$(LIBDIR)/undersigned.so
	$(INSTALL) -m 644 $(PLUGINS) $(DESTDIR)$(LIBDIR)/plugins/
	$(INSTALL) -m 644 migrations/*.sql $(DESTDIR)$(DATADIR)/migrations/
	for d in static templates mail demo; do \
		$(INSTALL) -d $(DESTDIR)$(DATADIR)/assets/$$d && \
		$(INSTALL) -m 644 assets/$$d/* $(DESTDIR)$(DATADIR)/assets/$$d/ \
		    || exit 1; \
	done
	for mo in $(LOCALE_MO); do \
		l=$$(basename $$(dirname $$mo)); \
		$(INSTALL) -d $(DESTDIR)$(DATADIR)/build/locale/$$l && \
		$(INSTALL) -m 644 $$mo $(DESTDIR)$(DATADIR)/build/locale/$$l/ \
		    || exit 1; \
	done
	ln -sfn $(STATEDIR)/var $(DESTDIR)$(DATADIR)/var
	$(INSTALL) -m 644 man/undersigned.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 man/undersigned-plugin.3 $(DESTDIR)$(MANDIR)/man3/
	$(SUBST) conf/undersigned.prod.conf.in \
	    >$(DESTDIR)$(SYSCONFDIR)/undersigned/kore.conf
	[ -f $(DESTDIR)$(SYSCONFDIR)/undersigned/undersigned.env ] || \
	    $(INSTALL) -m 640 conf/undersigned.env \
	    $(DESTDIR)$(SYSCONFDIR)/undersigned/undersigned.env
	for u in $(UNITS); do \
		$(SUBST) $$u >$(DESTDIR)$(UNITDIR)/$$(basename $$u .in) \
		    || exit 1; \
	done
	$(SUBST) conf/systemd/undersigned.sysusers.in \
	    >$(DESTDIR)$(SYSUSERSDIR)/undersigned.conf
	$(SUBST) conf/systemd/undersigned.tmpfiles.in \
	    >$(DESTDIR)$(TMPFILESDIR)/undersigned.conf

# For clangd and other tools: every compile command, recorded by bear
# from a full build into build/cc so that the usual build is left alone.
compile_commands.json:
	bear --output $@ -- $(MAKE) --no-print-directory -B -j2 BUILD=build/cc \
	    BIN=build/cc/bin PLUGIN_OUT=build/cc/plugins all

clean:
	rm -rf build bin plugins/*.so

clean-data:
	@scripts/pg.sh stop 2>/dev/null || true
	rm -rf var

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
