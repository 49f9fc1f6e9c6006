# Entry points; meson does the building.  Each target installs what is
# missing first (scripts/deps.sh).
BUILD ?= build

.PHONY: all demo check check-slow bench install clean
all:
	scripts/deps.sh
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD)
	meson compile -C $(BUILD)

# The main job on the built-in example: build a device address space,
# capture it, print what the dump holds.
demo:
	scripts/demo.sh

check:
	scripts/test.sh

# What takes minutes: the Debian packages and the systemd guest from cold
# caches, as a fresh machine runs them (a new Debian root from mmdebstrap, a
# new download of Debian's kernel, the packages rebuilt, the guest's crash
# loop 50 crashes long where `make check` runs 15 with the caches warm, and
# three more boots with the store on a disk image: the package removed and
# re-installed under systemd, a reboot, QEMU quit mid-save), and the kernel
# patch series built in the linux-source tree.
check-slow: all
	rm -rf $(BUILD)/tests/systemd/cache $(BUILD)/tests/packaging/debs
	cache=$$(mktemp -d) && DEVSNAP_TEST_CACHE=$$cache DEVSNAP_CRASH_LOOPS=50 DEVSNAP_GUEST_SLOW=1 \
		meson test -C $(BUILD) \
		--suite packaging --suite systemd --suite slow --print-errorlogs; \
		status=$$?; rm -rf "$$cache"; exit $$status

bench: all
	scripts/bench.sh $(BUILD)

install: all
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) build-fuzz build*.log
