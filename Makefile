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

# What takes minutes: the kernel patch series built in the linux-source tree.
check-slow: all
	meson test -C $(BUILD) --suite slow --print-errorlogs

bench: all
	scripts/bench.sh $(BUILD)

install: all
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) build-fuzz build*.log
