#pragma once
// The engine's example model: cells that wander (persistent random walk with
// chemotaxis), secrete and take up one diffusing signal, divide unless crowded and
// die at a constant rate. It knows no biology of HLH; it exists to exercise and test
// every part of the engine (agents, births and deaths, neighbour queries, fields,
// the schedule, output) before the disease models arrive.
#include <memory>

#include "sim/schedule/model.hpp"

namespace hlhsim::models {

std::unique_ptr<Model> make_random_walkers();

}  // namespace hlhsim::models
