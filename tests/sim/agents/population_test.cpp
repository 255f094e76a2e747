#include "sim/agents/population.hpp"

#include <gtest/gtest.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <numeric>
#include <span>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/rng.hpp"
#include "sim/space/neighbor_grid.hpp"

namespace hlhsim::population_test {

TEST(Population, BuiltInColumnsAndAdd) {
    IdSource ids;
    Population p("cells", 2, ids);
    EXPECT_EQ(p.name(), "cells");
    EXPECT_EQ(p.size(), 0u);
    ASSERT_EQ(p.num_columns(), 4u);
    EXPECT_EQ(p.column_name(0), "id");
    EXPECT_EQ(p.column_type(0), ColumnType::kUInt64);
    EXPECT_EQ(p.column_name(3), "z");
    EXPECT_EQ(p.add({1, 2, 3}), 0u);
    EXPECT_EQ(p.add({4, 5, 6}), 1u);
    EXPECT_EQ(p.ids()[0], 0u);
    EXPECT_EQ(p.ids()[1], 1u);
    EXPECT_EQ(p.x()[1], 4.0);
    EXPECT_EQ(p.y()[1], 5.0);
    EXPECT_EQ(p.z()[1], 0.0);  // 2-D
    EXPECT_EQ(p.position(0), (Vec3{1, 2, 0}));
    EXPECT_EQ(ids.peek(), 2u);
    EXPECT_THROW(Population("bad", 1, ids), InputError);
}

TEST(Population, TypedColumns) {
    IdSource ids;
    Population p("t", 3, ids);
    p.add({0, 0, 0});
    const auto energy = p.add_column<double>("energy", 1.5);
    const auto mass = p.add_column<float>("mass", 2.0f);
    const auto state = p.add_column<std::int32_t>("state", -1);
    const auto kills = p.add_column<std::uint32_t>("kills");
    const auto clock = p.add_column<std::int64_t>("clock", -7);
    const auto tag = p.add_column<std::uint64_t>("tag", 9);
    const auto flag = p.add_column<std::uint8_t>("flag", 1);
    p.add({1, 2, 3});
    ASSERT_EQ(p.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {  // existing and new rows start at the initial value
        EXPECT_EQ(p.col(energy)[i], 1.5);
        EXPECT_EQ(p.col(mass)[i], 2.0f);
        EXPECT_EQ(p.col(state)[i], -1);
        EXPECT_EQ(p.col(kills)[i], 0u);
        EXPECT_EQ(p.col(clock)[i], -7);
        EXPECT_EQ(p.col(tag)[i], 9u);
        EXPECT_EQ(p.col(flag)[i], 1u);
    }
    p.col(state)[1] = 4;
    const Population& cp = p;
    EXPECT_EQ(cp.col(state)[1], 4);
    EXPECT_EQ(cp.z()[1], 3.0);
    EXPECT_EQ(p.bytes_per_agent(), 8u * 4 + 8 + 4 + 4 + 4 + 8 + 8 + 1);
    EXPECT_EQ(p.find_column("kills"), std::optional<std::size_t>(7));
    EXPECT_FALSE(p.find_column("kils").has_value());
    EXPECT_EQ(p.column_type(10), ColumnType::kUInt8);
    EXPECT_EQ(column_type_size(p.column_type(5)), 4u);
    EXPECT_STREQ(column_type_name(p.column_type(5)), "float32");
    EXPECT_EQ(p.column_data(4), static_cast<const void*>(p.col(energy).data()));
    EXPECT_THROW(p.add_column<double>("energy"), std::invalid_argument);
    // A handle of another type (or population) is caught at run time.
    EXPECT_THROW(p.col(Column<double>{state.index}), std::invalid_argument);
    EXPECT_THROW(p.col(Column<double>{99}), std::invalid_argument);
}

/// Runs one death/birth round whose requests come from a parallel loop.
struct Outcome {
    std::vector<std::uint64_t> ids;
    std::vector<double> x, energy;
    std::vector<std::uint32_t> gen;
    std::vector<std::size_t> children;
    bool operator==(const Outcome&) const = default;
};

Outcome parallel_round(int threads) {
    Outcome out;
    tbb::task_arena arena(threads);
    arena.execute([&] {
        IdSource ids;
        Population p("p", 2, ids);
        const auto energy = p.add_column<double>("energy");
        const auto gen = p.add_column<std::uint32_t>("gen");
        for (int i = 0; i < 5000; ++i) {
            p.add({static_cast<double>(i), 0, 0});
            p.col(energy)[i] = 0.5 * i;
        }
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, p.size(), 64), [&](const auto& r) {
            for (std::size_t i = r.begin(); i < r.end(); ++i) {
                AgentRng rng(42, 7, 0, p.ids()[i]);
                if (rng.bernoulli(0.3)) p.mark_death(i);
                if (rng.bernoulli(0.2)) {
                    p.request_birth(i, {1000.0 + i, 1, 0}, 1);
                    p.request_birth(i, {2000.0 + i, 2, 0}, 0);
                }
            }
        });
        const std::span<const std::size_t> children = p.commit();
        out.children.assign(children.begin(), children.end());
        for (const std::size_t c : out.children) p.col(gen)[c] += 1;
        out.ids.assign(p.ids().begin(), p.ids().end());
        out.x.assign(p.x().begin(), p.x().end());
        out.energy.assign(p.col(energy).begin(), p.col(energy).end());
        out.gen.assign(p.col(gen).begin(), p.col(gen).end());
    });
    return out;
}

TEST(Population, CommitIsThreadCountIndependent) {
    const Outcome one = parallel_round(1);
    const Outcome two = parallel_round(2);
    EXPECT_EQ(one, two);
    ASSERT_FALSE(one.children.empty());
    // Survivors first (ids ascending, as added), then children with fresh ascending ids.
    const std::size_t survivors = one.ids.size() - one.children.size();
    EXPECT_LT(survivors, 4000u);            // about 30 % died
    EXPECT_GT(one.children.size(), 1000u);  // about 20 % had two children
    EXPECT_EQ(one.children.front(), survivors);
    for (std::size_t k = 1; k < one.ids.size(); ++k) EXPECT_LT(one.ids[k - 1], one.ids[k]);
    EXPECT_EQ(one.ids[survivors], 5000u);
    for (std::size_t k = survivors; k < one.ids.size(); k += 2) {
        // Children of one parent: tag 0 (x = 2000 + parent) before tag 1 (x = 1000 + parent);
        // each copies the parent's energy.
        const double parent = one.x[k] - 2000.0;
        EXPECT_EQ(one.x[k + 1], 1000.0 + parent);
        EXPECT_EQ(one.energy[k], 0.5 * parent);
        EXPECT_EQ(one.energy[k + 1], 0.5 * parent);
        EXPECT_EQ(one.gen[k], 1u);
    }
    for (std::size_t k = 0; k < survivors; ++k) EXPECT_EQ(one.gen[k], 0u);
}

TEST(Population, DeathsAndBirthsByHand) {
    IdSource ids;
    ids.reset(100);
    Population p("p", 3, ids);
    const auto v = p.add_column<std::int32_t>("v");
    for (int i = 0; i < 6; ++i) {
        p.add({static_cast<double>(i), 0, 0});
        p.col(v)[i] = 10 * i;
    }
    p.mark_death(1);
    p.mark_death(1);  // twice is harmless
    p.mark_death(4);
    EXPECT_TRUE(p.marked_dead(4));
    EXPECT_FALSE(p.marked_dead(0));
    p.request_birth(5, {50, 0, 0});
    p.request_birth(4, {40, 1, 2}, 3);  // a parent that dies still has its child
    p.request_birth(2, {20, 0, 0}, 7);
    p.request_birth(2, {21, 0, 0}, 2);
    EXPECT_EQ(p.pending_births(), 4u);
    EXPECT_THROW(p.request_birth(6, {}), std::out_of_range);
    EXPECT_THROW(p.mark_death(6), std::out_of_range);
    const std::span<const std::size_t> children = p.commit();
    EXPECT_EQ(std::vector<std::size_t>(children.begin(), children.end()),
              (std::vector<std::size_t>{4, 5, 6, 7}));
    EXPECT_EQ(std::vector<std::uint64_t>(p.ids().begin(), p.ids().end()),
              (std::vector<std::uint64_t>{100, 102, 103, 105, 106, 107, 108, 109}));
    EXPECT_EQ(std::vector<std::int32_t>(p.col(v).begin(), p.col(v).end()),
              (std::vector<std::int32_t>{0, 20, 30, 50, 20, 20, 40, 50}));
    EXPECT_EQ(p.position(4), (Vec3{21, 0, 0}));  // parent 102 tag 2 before tag 7
    EXPECT_EQ(p.position(6), (Vec3{40, 1, 2}));
    EXPECT_EQ(p.pending_births(), 0u);
    EXPECT_FALSE(p.marked_dead(1));
    EXPECT_TRUE(p.commit().empty());  // nothing pending
    EXPECT_EQ(p.size(), 8u);
    // Births only (no deaths) take the append path.
    p.request_birth(0, {1, 1, 1});
    const std::span<const std::size_t> eighth = p.commit();
    EXPECT_EQ(std::vector<std::size_t>(eighth.begin(), eighth.end()),
              (std::vector<std::size_t>{8}));
    EXPECT_EQ(p.ids()[8], 110u);
    EXPECT_EQ(p.col(v)[8], 0);
}

TEST(Population, ReorderKeepsRowsTogether) {
    IdSource ids;
    Population p("p", 2, ids);
    const auto a = p.add_column<double>("a");
    const auto b = p.add_column<std::uint8_t>("b");
    for (int i = 0; i < 5; ++i) {
        p.add({static_cast<double>(i), -static_cast<double>(i), 0});
        p.col(a)[i] = i * 1.5;
        p.col(b)[i] = static_cast<std::uint8_t>(i + 10);
    }
    p.mark_death(3);
    const std::vector<std::uint32_t> perm{3, 0, 4, 2, 1};
    p.reorder(perm);
    for (std::size_t k = 0; k < 5; ++k) {
        const double old = perm[k];
        EXPECT_EQ(p.ids()[k], perm[k]);
        EXPECT_EQ(p.x()[k], old);
        EXPECT_EQ(p.y()[k], -old);
        EXPECT_EQ(p.col(a)[k], old * 1.5);
        EXPECT_EQ(p.col(b)[k], perm[k] + 10);
    }
    EXPECT_TRUE(p.marked_dead(0));  // the death moved with its row
    EXPECT_THROW(p.reorder(std::vector<std::uint32_t>{0, 1, 2}), std::invalid_argument);
    EXPECT_THROW(p.reorder(std::vector<std::uint32_t>{0, 1, 2, 2, 4}), std::invalid_argument);
    p.request_birth(0, {});
    EXPECT_THROW(p.reorder(perm), std::logic_error);
}

TEST(Population, SortByCellGroupsRowsAndIsThreadCountIndependent) {
    const Domain d(2, {0, 0, 0}, {100, 100, 0}, Boundary::kPeriodic);
    auto run = [&](int threads) {
        std::vector<std::uint64_t> ids_after;
        tbb::task_arena arena(threads);
        arena.execute([&] {
            IdSource ids;
            Population p("p", 2, ids);
            const auto tagc = p.add_column<std::uint64_t>("copy_of_id");
            for (int i = 0; i < 3000; ++i) {
                AgentRng rng(5, 1, 0, static_cast<std::uint64_t>(i));
                p.add({rng.uniform(0, 100), rng.uniform(0, 100), 0});
                p.col(tagc)[i] = p.ids()[i];
            }
            NeighborGrid grid(d, 10.0);
            grid.build(p.x(), p.y(), p.z());
            p.sort_by_cell(grid);
            grid.build(p.x(), p.y(), p.z());
            // After sorting, rows are in cell order, so the index is the identity.
            for (std::size_t k = 0; k < p.size(); ++k) {
                EXPECT_EQ(grid.sorted_indices()[k], k);
                EXPECT_EQ(p.col(tagc)[k], p.ids()[k]);
                if (k > 0 && grid.cell_of(p.position(k)) == grid.cell_of(p.position(k - 1))) {
                    EXPECT_LT(p.ids()[k - 1], p.ids()[k]);  // stable within a cell
                }
            }
            ids_after.assign(p.ids().begin(), p.ids().end());
        });
        return ids_after;
    };
    EXPECT_EQ(run(1), run(2));
}

// sort_by_cell skips reorder()'s permutation check (a grid's order is one), not its refusal
// to move rows while births name their parents by row.
TEST(Population, SortByCellRefusesPendingBirths) {
    const Domain d(2, {0, 0, 0}, {100, 100, 0}, Boundary::kPeriodic);
    IdSource ids;
    Population p("p", 2, ids);
    for (int i = 0; i < 10; ++i) p.add({10.0 * i, 50, 0});
    NeighborGrid grid(d, 10.0);
    grid.build(p.x(), p.y(), p.z());
    p.request_birth(3, {1, 1, 0});
    EXPECT_THROW(p.sort_by_cell(grid), std::logic_error);
    p.commit();
    EXPECT_THROW(p.sort_by_cell(grid), std::invalid_argument);  // 11 rows, 10 grid points
    grid.build(p.x(), p.y(), p.z());
    p.sort_by_cell(grid);
    EXPECT_EQ(p.size(), 11u);
}

// col() and position() read cached column addresses: they must follow every operation that
// may move a column (growth by add, commit, reorder, resize_rows, a new column).
TEST(Population, ColumnsStayReachableWhenStorageMoves) {
    IdSource ids;
    Population p("p", 2, ids);
    const auto a = p.add_column<double>("a", 1.5);
    for (int i = 0; i < 1000; ++i) {
        p.add({static_cast<double>(i), 2.0 * i, 7});
        p.col(a)[static_cast<std::size_t>(i)] = i;
    }
    const auto b = p.add_column<std::uint8_t>("b", 9);
    EXPECT_EQ(p.col(b)[999], 9);
    EXPECT_EQ(p.position(999), (Vec3{999, 1998, 0}));  // z is 0 in 2-D
    for (std::size_t i = 0; i < 1000; i += 2) p.mark_death(i);
    p.request_birth(1, {5, 6, 0});
    p.commit();
    ASSERT_EQ(p.size(), 501u);
    EXPECT_EQ(p.position(0), (Vec3{1, 2, 0}));
    EXPECT_EQ(p.position(500), (Vec3{5, 6, 0}));
    EXPECT_EQ(p.col(a)[500], 1.0);
    std::vector<std::uint32_t> reversed(p.size());
    for (std::size_t k = 0; k < reversed.size(); ++k)
        reversed[k] = static_cast<std::uint32_t>(reversed.size() - 1 - k);
    p.reorder(reversed);
    EXPECT_EQ(p.position(0), (Vec3{5, 6, 0}));
    EXPECT_EQ(p.col(a)[500], 1.0);
    p.set_position(3, {8, 9, 10});
    EXPECT_EQ(p.x()[3], 8.0);
    EXPECT_EQ(p.z()[3], 0.0);
    p.resize_rows(5000);
    EXPECT_EQ(p.col(a)[4999], 1.5);
    EXPECT_EQ(p.position(3), (Vec3{8, 9, 0}));
    EXPECT_THROW(p.col(Column<float>{a.index}), std::invalid_argument);  // wrong type
    EXPECT_THROW(p.col(Column<double>{99}), std::invalid_argument);      // no such column
}

// Values computed out of place are published by exchanging buffers: the column then reads
// them (also through the raw output access), the caller's vector holds the old ones, and a
// vector of the wrong length or a foreign handle is refused.
TEST(Population, SwapValuesExchangesAColumnWithAVector) {
    IdSource ids;
    Population p("cells", 2, ids);
    p.add({1, 2, 0});
    p.add({3, 4, 0});
    const auto energy = p.add_column<float>("energy", 0.5f);
    std::vector<double> next_x{10, 30};
    p.swap_x(next_x);
    EXPECT_EQ(p.x()[0], 10.0);
    EXPECT_EQ(p.x()[1], 30.0);
    EXPECT_EQ(static_cast<const double*>(p.column_data(1))[1], 30.0);
    EXPECT_EQ(next_x, (std::vector<double>{1, 3}));
    std::vector<float> e{7.0f, 8.0f};
    p.swap_values(energy, e);
    EXPECT_EQ(p.col(energy)[1], 8.0f);
    EXPECT_EQ(e, (std::vector<float>{0.5f, 0.5f}));
    std::vector<double> short_y{1};
    EXPECT_THROW(p.swap_y(short_y), std::invalid_argument);
    EXPECT_EQ(p.y()[1], 4.0);
    EXPECT_THROW(p.swap_values(Column<float>{9}, e), std::invalid_argument);  // no such column
}

TEST(Population, ResizeRowsForRestart) {
    IdSource ids;
    Population p("p", 3, ids);
    const auto c = p.add_column<float>("c", 3.0f);
    p.resize_rows(3);
    EXPECT_EQ(p.size(), 3u);
    EXPECT_EQ(p.col(c)[2], 3.0f);
    auto* raw = static_cast<std::uint64_t*>(p.column_data_mutable(0));
    std::iota(raw, raw + 3, std::uint64_t{40});
    ids.reset(43);
    EXPECT_EQ(p.add({}), 3u);
    EXPECT_EQ(p.ids()[3], 43u);
}

}  // namespace hlhsim::population_test
