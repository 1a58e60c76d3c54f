# fuzz.mk - the libFuzzer variant (included by the Makefile; see fuzz/run.sh).
#
# Every fuzz/fuzz_NAME.c is a target, build/fuzz/fuzz_NAME, linked against
# the program's objects compiled by clang with coverage for libFuzzer plus
# ASan and UBSan. The sub-make runs with CC=clang.

FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
FUZZ_SRCS    := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS    := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))

$(eval $(call variant,build/fuzz,$(FUZZ_CFLAGS),$(FUZZ_LDFLAGS)))

build/fuzz/obj/fuzz/%.o: fuzz/%.c
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(STD) $(WARN) $(FUZZ_CFLAGS) $(INCLUDES) -MMD -MP -c $< -o $@

# The targets include the program's headers: a changed struct must rebuild them.
-include $(patsubst fuzz/%.c,build/fuzz/obj/fuzz/%.d,$(FUZZ_SRCS) fuzz/util.c)

build/fuzz/fuzz_%: build/fuzz/obj/fuzz/fuzz_%.o build/fuzz/obj/fuzz/util.o \
                   $(call lib_objs,build/fuzz) $(TS_LIB) $(PGQ_LIB)
	@echo "LD $@"
	@$(CC) $(FUZZ_LDFLAGS) $(LDFLAGS) -o $@ $< build/fuzz/obj/fuzz/util.o \
	  $(call lib_objs,build/fuzz) $(LIBS)

build-fuzz: $(FUZZ_BINS)

# Keep the objects make would treat as intermediate (and delete).
.SECONDARY: $(patsubst fuzz/%.c,build/fuzz/obj/fuzz/%.o,$(FUZZ_SRCS) fuzz/util.c)
