// dagrad gradcheck: the program as a function of its floating inputs, checked by
// dagrad::gradcheck (analytic Jacobian from backward against central differences, float64).
#include <cmath>
#include <ostream>
#include <sstream>

#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/gradcheck.hpp>

#include "commands.hpp"
#include "diagnostics.hpp"
#include "session.hpp"

namespace dagrad::cli {

namespace {

void check_step(const char* option, double value) {
  if (!(value > 0) || !std::isfinite(value)) {
    std::ostringstream os;
    os << option << ": must be a positive finite number, got " << value;
    throw UsageError(os.str());
  }
}

void check_tolerance(const char* option, double value) {
  if (!(value >= 0) || !std::isfinite(value)) {
    std::ostringstream os;
    os << option << ": must be a finite number >= 0, got " << value;
    throw UsageError(os.str());
  }
}

}  // namespace

int run_gradcheck(const GradcheckCommandOptions& options, std::ostream& out, std::ostream& err) {
  Session session;
  try {
    check_step("--eps", options.eps);
    check_tolerance("--atol", options.atol);
    check_tolerance("--rtol", options.rtol);
    RunOptions run = options;
    run.dtype = "float64";
    open_session(run, session);
    const std::vector<std::string> names = input_names(session);

    // A first run tells which inputs are integer labels: those are passed as int64 tensors,
    // which gradcheck leaves unperturbed; every other input is checked.
    std::vector<Tensor> leaves;
    std::size_t checked = 0;
    std::int64_t elements = 0;
    std::int64_t outputs = 0;
    {
      Evaluator probe(session.inputs, DType::f64, {});
      NoGradGuard no_grad;  // only the labels and the output's size are wanted here
      outputs = probe.run(session.program).numel();
      for (const std::string& name : names) {
        if (const Tensor* labels = probe.labels(name)) {
          leaves.push_back(*labels);
        } else {
          leaves.push_back(*probe.input(name));
          ++checked;
          elements += leaves.back().numel();
        }
      }
    }
    if (checked == 0) {
      out << "gradcheck: nothing to check: the program has no floating inputs\n";
      return 0;
    }

    const Program& program = session.program;
    const TensorFn f = [&](std::span<const Tensor> xs) {
      Evaluator evaluator(names, xs, DType::f64);
      return evaluator.run(program);
    };
    GradcheckOptions check;
    check.eps = options.eps;
    check.atol = options.atol;
    check.rtol = options.rtol;
    const GradcheckResult r = gradcheck(f, leaves, check);

    if (r.ok) {
      out << r.report << "; " << checked << (checked == 1 ? " input, " : " inputs, ") << elements
          << " elements x " << outputs << " outputs\n";
      out.flush();
      if (!out) throw IoError("cannot write the output");
      return 0;
    }
    // Name the input rather than its position among the program's inputs.
    err << r.report << "\n  input " << r.worst.input << " is '" << names[r.worst.input] << "'; eps "
        << options.eps << ", atol " << options.atol << ", rtol " << options.rtol << '\n';
    return kExitFailure;
  } catch (...) {
    return report_current_exception(err, session.source);
  }
}

}  // namespace dagrad::cli
