// `litehouse run DB [OPTIONS]`: follow the live stream from the command line, with a status line
// on a terminal and plain log lines otherwise; SIGINT/SIGTERM finish the batch and exit 0.
#pragma once

#include <string>
#include <vector>

#include "litehouse/live.h"

namespace litehouse::shell {

// Parses the options of `run` (and of the shell's `.ingest live`): everything but positional
// arguments, which go to *positional. False with *error set on a mistake.
bool ParseLiveArgs(const std::vector<std::string>& args, LiveOptions* options, std::vector<std::string>* positional,
                   bool* quiet, std::string* error);

// The whole subcommand; `args` follow "run". Returns the exit code.
int RunLiveCommand(const std::vector<std::string>& args);

extern const char kRunUsage[];

}  // namespace litehouse::shell
