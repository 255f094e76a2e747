#pragma once
// Running the HLH model at small size with treatments, for the integration tests: a
// scenario file plus overrides ("key.path=value"), run on N threads into an HDF5 file,
// read back.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "models/hlh/hlh_model.hpp"
#include "sim/config/section.hpp"
#include "sim/config/yaml_loader.hpp"
#include "sim/io/h5_read.hpp"
#include "sim/io/input_file.hpp"
#include "sim/io/output_file.hpp"
#include "sim/schedule/simulation.hpp"
#include "tests/models/treatment/treatment_test_util.hpp"

namespace hlhsim::models::treatment::testing {

/// A small patch of the adult idiopathic patient: 200 um square, fewer macrophages.
inline std::vector<std::string> small_patch(const std::string& duration) {
    return {"duration=" + duration, "domain.size=[200 um, 200 um]", "macrophages.count=40",
            "output.record_every=60 min", "output.snapshot_every=1000 day"};
}

struct RunFile {
    std::string path;
    io::InputFile file;
    std::vector<double> series(const std::string& name) const {
        return io::read_array<double>(file, "/timeseries/" + name);
    }
    std::vector<std::string> strings(const std::string& path_in_file) const {
        return io::read_strings(file, path_in_file);
    }
    std::vector<double> event_times() const { return io::read_array<double>(file, "/events/time"); }
};

/// Runs `scenario` (relative to the source tree) with overrides and `extra` YAML merged on
/// top, on `threads` threads; the file goes to the test's temporary directory.
inline RunFile run_hlh(const std::string& scenario, const std::vector<std::string>& overrides,
                       const std::string& extra, int threads, const std::string& tag) {
    config::ConfigNode tree = config::load_file(source_path(scenario));
    if (!extra.empty()) config::merge_into(tree, config::load_string(extra, "extra.yaml"));
    for (const auto& o : overrides) config::apply_override(tree, o);
    config::Context ctx;
    config::Section root(&tree, "", ctx);
    root.string("model", {.def = "hlh"});  // read by the command line, not the model
    Simulation sim(root);
    auto model = make_hlh_model();
    model->build(sim, root);
    config::check_unknown_keys(tree, ctx);
    ctx.throw_if_errors();
    const std::string path =
        (std::filesystem::temp_directory_path() /
         ("hlhsim_treatment_" + std::to_string(::getpid()) + "_" + tag + ".h5"))
            .string();
    {
        io::OutputFile out = io::OutputFile::create(path);
        sim.run(&out, threads);
        out.commit();
    }
    // Kept open and unlinked at once: no file is left behind in the temporary directory.
    RunFile run{path, io::InputFile::open(path)};
    std::filesystem::remove(path);
    return run;
}

}  // namespace hlhsim::models::treatment::testing
