# SPDX-License-Identifier: GPL-2.0
#
# In-kernel SPDM over PCIe DOE: build, run and test orchestration.
#
#   make run     build everything, boot the kernel under QEMU with emulated
#                SPDM devices and show them
#   make check   build everything (also the sanitizer kernel) and run the
#                whole test suite
#   make fuzz-long  fuzz for hours (FUZZ_SECONDS per harness)
#
# The kernel tree is Debian's linux-source-7.3 (from trixie-backports,
# fetched by tools/spdm/kernel-source without touching the host's apt
# sources) extracted into build/linux, with the project's own files laid on
# top of it and patches/series applied.  Objects go to build/kbuild (O=), so
# re-laying the tree never costs a full rebuild.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
KSRC := $(BUILD)/linux
KOBJ := $(BUILD)/kbuild
KERNEL_SERIES := 7.3
KERNEL_TARBALL ?= $(BUILD)/src/linux-source-$(KERNEL_SERIES).tar.xz
KERNEL_VERSION_EXPECTED := 7.3.4
# the test and run scripts find the build through this
export SPDM_BUILD := $(BUILD)
JOBS ?= $(shell nproc)

# Cache hits across checkouts: ccache rewrites paths below the checkout.
export CCACHE_BASEDIR := $(TOP)
export CCACHE_NOHASHDIR := 1

# Directories and files of this repository that live at kernel paths.
OVERLAY := lib include drivers Documentation crypto tools/testing/selftests/spdm
CONFIG_FRAGMENTS := tools/testing/selftests/spdm/config tools/spdm/vm.config

KMAKE = $(MAKE) -C $(KSRC) O=$(KOBJ) ARCH=x86_64 \
	CC="ccache gcc" HOSTCC="ccache gcc" -j$(JOBS)

BZIMAGE := $(KOBJ)/arch/x86/boot/bzImage

# The sanitizer kernel: same tree, its own objects and configuration
SAN_KOBJ := $(BUILD)/kbuild-san
SAN_FRAGMENTS := $(CONFIG_FRAGMENTS) tools/spdm/sanitizer.config

.PHONY: all deps kernel kernel-san tools run check bench fuzz-long clean \
	distclean overlay kernel-config selftests

all: kernel tools

deps:
	@tools/spdm/install-deps

# 1. Pristine source, fetched and extracted once.
$(BUILD)/src/linux-source-$(KERNEL_SERIES).tar.xz: | deps
	tools/spdm/kernel-source $(KERNEL_SERIES) $(BUILD)/src >/dev/null

$(KSRC)/.extracted: | $(KERNEL_TARBALL)
	rm -rf $(KSRC) $(BUILD)/linux.tmp
	mkdir -p $(BUILD)/linux.tmp
	tar -xJf $(KERNEL_TARBALL) -C $(BUILD)/linux.tmp --strip-components=1
	mv $(BUILD)/linux.tmp $(KSRC)
	touch $@

# 2. Patch series.  A changed series means a fresh extraction; objects in
#    $(KOBJ) survive, so only what the patches touch recompiles.
PATCHES := $(shell sed -e 's/\#.*//' patches/series 2>/dev/null)
$(BUILD)/patches.sum: patches/series $(addprefix patches/,$(PATCHES)) FORCE
	@mkdir -p $(BUILD)
	@cat patches/series $(addprefix patches/,$(PATCHES)) | sha256sum > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

$(KSRC)/.patched: $(BUILD)/patches.sum | $(KSRC)/.extracted
	@if [ -e $@ ]; then \
		echo "  patch series changed: re-extracting $(KSRC)"; \
		rm -rf $(KSRC); $(MAKE) --no-print-directory $(KSRC)/.extracted; \
	fi
	@for p in $(PATCHES); do \
		echo "  PATCH   $$p"; \
		patch -d $(KSRC) -p1 -s --no-backup-if-mismatch < patches/$$p || exit 1; \
	done
	touch $@

# 3. The project's files, copied only when their content differs so that
#    unchanged files keep their timestamps and rebuild nothing.  Files the
#    project no longer has (renamed, removed) leave the tree too: the list
#    of the last overlay is kept in $(BUILD)/overlay.files.
overlay: $(KSRC)/.patched
	@for d in $(OVERLAY); do \
		[ -e $$d ] || continue; \
		rsync -rc --exclude='*.o' $$d/ $(KSRC)/$$d/; \
	done
	@find $(OVERLAY) -type f ! -name '*.o' 2>/dev/null | sort >$(BUILD)/overlay.files.new
	@if [ -f $(BUILD)/overlay.files ]; then \
		comm -23 $(BUILD)/overlay.files $(BUILD)/overlay.files.new | \
		while read -r f; do rm -f "$(KSRC)/$$f"; done; \
	fi
	@mv $(BUILD)/overlay.files.new $(BUILD)/overlay.files

# 4. Configuration: tinyconfig plus fragments, replaced only when it changes.
kernel-config: overlay
	@mkdir -p $(KOBJ)
	@$(KMAKE) -s KCONFIG_CONFIG=.config.new tinyconfig >/dev/null
	@cd $(KOBJ) && KCONFIG_CONFIG=.config.new $(KSRC)/scripts/kconfig/merge_config.sh \
		-m -Q .config.new $(addprefix $(TOP)/,$(CONFIG_FRAGMENTS)) >/dev/null
	@$(KMAKE) -s KCONFIG_CONFIG=.config.new olddefconfig >/dev/null
	@tools/spdm/check-config $(KOBJ)/.config.new $(CONFIG_FRAGMENTS)
	@cmp -s $(KOBJ)/.config.new $(KOBJ)/.config && rm $(KOBJ)/.config.new || \
		{ echo "  CONFIG  updated"; mv $(KOBJ)/.config.new $(KOBJ)/.config; }

kernel: kernel-config
	@$(KMAKE) bzImage
	@v=$$($(KMAKE) -s kernelversion); case "$$v" in \
		$(KERNEL_VERSION_EXPECTED)*) ;; \
		*) echo "warning: built $$v, project is tested on $(KERNEL_VERSION_EXPECTED)";; \
	esac

# KASAN, UBSAN, lockdep, kmemleak (tools/spdm/sanitizer.config)
kernel-san:
	@$(MAKE) --no-print-directory kernel KOBJ=$(SAN_KOBJ) \
		CONFIG_FRAGMENTS="$(SAN_FRAGMENTS)"

selftests: overlay
	@$(MAKE) -s -C $(KSRC)/tools/testing/selftests/spdm \
		OUTPUT=$(BUILD)/selftests/spdm

# spdm-verify checks ML-DSA with OpenSSL 3.5 or newer: a static one from
# Debian 13's source where the host's is older (tools/spdm/openssl-build)
$(BUILD)/openssl.prefix: tools/spdm/openssl-build | deps
	tools/spdm/openssl-build $(BUILD)/openssl >$@.tmp
	mv $@.tmp $@

tools: deps selftests $(BUILD)/openssl.prefix
	@$(MAKE) -s -C tools/spdm O=$(BUILD)/tools \
		OPENSSL_PREFIX="$$(cat $(BUILD)/openssl.prefix)"

DEMO_CERTS := $(BUILD)/demo-certs

$(DEMO_CERTS)/chain.der: tools/spdm/mkcerts
	tools/spdm/mkcerts --algo ecdsa-p384 --hash sha384 $(DEMO_CERTS) >/dev/null

run: kernel tools $(DEMO_CERTS)/chain.der
	tools/spdm/spdm-vm --devices 2 \
		-d 0:certs=$(DEMO_CERTS):versions=1.3 \
		-d 1:certs=$(DEMO_CERTS):versions=1.2:hash=sha256 \
		-- $(TOP)/tools/spdm/demo

check: kernel kernel-san tools
	tools/spdm/run-tests

bench: kernel tools
	tools/spdm/bench

# Hours of fuzzing outside CI: the userspace parsers (libFuzzer,
# FUZZ_SECONDS per harness, default an hour)
fuzz-long: deps
	$(MAKE) -C tools/spdm/fuzz O=$(BUILD) fuzz-long \
		FUZZ_SECONDS=$(or $(FUZZ_SECONDS),3600)

clean:
	-$(MAKE) -s -C tools/spdm O=$(BUILD)/tools clean
	rm -rf $(BUILD)/selftests $(BUILD)/vm

distclean:
	rm -rf $(BUILD)

FORCE:
