// The dagrad command-line tool: `dagrad eval`, `dagrad dot` and `dagrad gradcheck` (see --help).
// This file only wires the command line to commands.hpp and plugins.hpp and maps every failure
// to an exit code.
#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "diagnostics.hpp"
#include "help.hpp"
#include "plugins.hpp"

namespace {

using dagrad::cli::DotOptions;
using dagrad::cli::EvalOptions;
using dagrad::cli::RunOptions;

struct ProgramOptions {
  CLI::Option* expr = nullptr;
  CLI::Option* file = nullptr;
  std::string expr_text;
  std::string file_name;
  std::vector<std::string> plugins;  // --plugin after the subcommand's name
};

// Adds one value per occurrence, repeatable (--input a=1 --input b=2).
CLI::Option* add_repeated(CLI::App* app, const std::string& name, std::vector<std::string>& into,
                          const std::string& help) {
  return app->add_option(name, into, help)->allow_extra_args(false)->take_all();
}

// --plugin, accepted before the subcommand's name and after it.
void add_plugin_option(CLI::App* app, std::vector<std::string>& into) {
  add_repeated(app, "--plugin", into,
               "load the shared library FILE.so and register its ops before the program runs "
               "(repeatable; see PLUGINS below)")
      ->type_name("FILE.so");
}

// Loads DAGRAD_PLUGINS, then each --plugin in order; the exit code of the first failure, or 0.
int load_plugins(const std::vector<const std::vector<std::string>*>& from_command_line) {
  try {
    for (const std::string& path : dagrad::cli::split_plugin_paths(std::getenv("DAGRAD_PLUGINS")))
      dagrad::cli::load_plugin(path, "DAGRAD_PLUGINS");
    for (const std::vector<std::string>* paths : from_command_line)
      for (const std::string& path : *paths) dagrad::cli::load_plugin(path);
    return 0;
  } catch (...) {
    return dagrad::cli::report_current_exception(std::cerr, {});
  }
}

// The help lists the registered ops, so the plugins' ops too: they are loaded first.
int show_help(const CLI::App& app, const CLI::Error& help,
              const std::vector<const std::vector<std::string>*>& plugins) {
  if (const int code = load_plugins(plugins)) return code;
  return app.exit(help);
}

void add_run_options(CLI::App* app, RunOptions& run, ProgramOptions& program,
                     bool with_dtype = true) {
  program.expr =
      app->add_option("-e,--expr", program.expr_text, "the program text")->type_name("EXPR");
  program.file =
      app->add_option("-f,--file", program.file_name, "read the program from FILE ('-': stdin)")
          ->type_name("FILE");
  program.expr->excludes(program.file);
  add_plugin_option(app, program.plugins);
  add_repeated(app, "--input", run.inputs.inputs, "an input's value as JSON (repeatable)")
      ->type_name("NAME=JSON");
  app->add_option("--inputs", run.inputs.inputs_file, "a JSON object of inputs by name")
      ->type_name("FILE.json");
  add_repeated(app, "--shape", run.inputs.shapes,
               "an input of this shape (e.g. 2x3) filled with seeded normal values (repeatable)")
      ->type_name("NAME=DIMS");
  app->add_option("--seed", run.inputs.seed, "the seed for --shape values (default 0)")
      ->type_name("N");
  if (!with_dtype) return;
  app->add_option("--dtype", run.dtype, "float32 (default) or float64")
      ->type_name("DTYPE")
      ->check(CLI::IsMember({"float32", "float64"}));
}

// -e/-f into the options, once parsed.
void take_program(const ProgramOptions& program, RunOptions& run) {
  if (program.expr->count()) run.expr = program.expr_text;
  if (program.file->count()) run.file = program.file_name;
}

int run(int argc, char** argv) {
  CLI::App app{
      "dagrad: evaluate expressions with the dagrad autodiff engine, print their gradients, check "
      "them against finite differences, and "
      "draw their computation graphs."};
  app.name("dagrad");
  app.require_subcommand(1);
  app.footer(dagrad::cli::help_footer);
  std::vector<std::string> plugins;  // --plugin before the subcommand's name
  add_plugin_option(&app, plugins);

  EvalOptions eval;
  ProgramOptions eval_program;
  CLI::App* eval_cmd = app.add_subcommand(
      "eval", "Evaluate a program; print its output and the gradients of the sum of the output");
  add_run_options(eval_cmd, eval, eval_program);
  add_repeated(eval_cmd, "--grad", eval.grads,
               "print d(output)/d(NAME) for these inputs: names separated by commas, or 'all' "
               "(every input not used as integer labels); repeatable")
      ->type_name("NAME,...|all");
  eval_cmd->add_flag("--json", eval.json,
                     "print one JSON object {\"shape\": [...], \"value\": <nested lists>, "
                     "\"grads\": {\"NAME\": <nested lists>}}; non-finite numbers as \"nan\", "
                     "\"inf\", \"-inf\"; float64 with 17 significant digits, float32 with 9");
  eval_cmd->footer(dagrad::cli::eval_footer);

  DotOptions dot;
  ProgramOptions dot_program;
  CLI::App* dot_cmd = app.add_subcommand(
      "dot", "Export a program's computation graph as DOT, or render it to SVG, PNG or PDF");
  add_run_options(dot_cmd, dot, dot_program);
  dot_cmd->add_option("-o,--output", dot.output, "write to FILE.dot, .svg, .png or .pdf")
      ->type_name("FILE");
  dot_cmd->add_flag("--values", dot.values, "show value summaries in the nodes");
  dot_cmd->add_flag("--grads", dot.grads,
                    "run backward first (from the sum of the output) and show gradient "
                    "summaries");
  dot_cmd->add_option("--rankdir", dot.rankdir, "layout direction: TB (default) or LR")
      ->type_name("LR|TB")
      ->check(CLI::IsMember({"LR", "TB"}));
  add_repeated(dot_cmd, "--label", dot.labels,
               "display TEXT (any text) for the input NAME, or for the tensor last bound to NAME "
               "in the program; repeatable")
      ->type_name("NAME=TEXT");
  dot_cmd->add_option("--title", dot.title, "a title for the graph")->type_name("TEXT");
  bool no_legend = false;
  dot_cmd->add_flag("--no-legend", no_legend, "leave out the legend of node styles");
  dot_cmd->footer(dagrad::cli::dot_footer);

  dagrad::cli::GradcheckCommandOptions check;
  ProgramOptions check_program;
  CLI::App* check_cmd = app.add_subcommand(
      "gradcheck",
      "Check a program's gradients against central differences in float64; exit 0 when they "
      "agree, 1 with a report when not");
  add_run_options(check_cmd, check, check_program, /*with_dtype=*/false);
  check_cmd->add_option("--eps", check.eps, "finite-difference step")->capture_default_str();
  check_cmd->add_option("--atol", check.atol, "absolute tolerance")->capture_default_str();
  check_cmd->add_option("--rtol", check.rtol, "relative tolerance")->capture_default_str();
  check_cmd->footer(dagrad::cli::gradcheck_footer);

  const std::vector<const std::vector<std::string>*> plugin_options = {
      &plugins, &eval_program.plugins, &dot_program.plugins, &check_program.plugins};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return show_help(app, e, plugin_options);
  } catch (const CLI::CallForAllHelp& e) {
    return show_help(app, e, plugin_options);
  } catch (const CLI::ParseError& e) {
    std::cerr << "dagrad: " << e.what() << "\nRun with --help for more information.\n";
    return dagrad::cli::kExitUsage;
  }
  if (const int code = load_plugins(plugin_options)) return code;

  if (eval_cmd->parsed()) {
    take_program(eval_program, eval);
    return dagrad::cli::run_eval(eval, std::cout, std::cerr);
  }
  if (check_cmd->parsed()) {
    take_program(check_program, check);
    return dagrad::cli::run_gradcheck(check, std::cout, std::cerr);
  }
  take_program(dot_program, dot);
  dot.legend = !no_legend;
  return dagrad::cli::run_dot(dot, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  // Nothing may escape as an uncaught exception (and its abort): the last line of defence.
  try {
    return run(argc, argv);
  } catch (...) {
    return dagrad::cli::report_current_exception(std::cerr, {});
  }
}
