#pragma once
// Structure-of-arrays agent populations with stable global ids and deferred birth/death.
//
// Every population has the built-in columns id (uint64), x, y, z (double, um; z stays 0 in
// 2-D) followed by the columns the model adds. Columns are reached through typed handles
// (Column<T>), so a misspelt column is a compile error, not a run-time lookup.
#include <tbb/enumerable_thread_specific.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sim/core/vec.hpp"

namespace hlhsim {

class NeighborGrid;
namespace detail {
struct ColumnStorage;  // type-erased column, defined in population.cpp
}

/// Typed handle to a column of one population (returned by Population::add_column).
template <class T>
struct Column {
    std::uint32_t index;
};

/// Element type of a column, for generic output (HDF5) and restart.
enum class ColumnType : std::uint8_t {
    kFloat64,
    kFloat32,
    kInt32,
    kUInt32,
    kInt64,
    kUInt64,
    kUInt8
};

template <class T>
constexpr ColumnType column_type_of() {
    if constexpr (std::is_same_v<T, double>)
        return ColumnType::kFloat64;
    else if constexpr (std::is_same_v<T, float>)
        return ColumnType::kFloat32;
    else if constexpr (std::is_same_v<T, std::int32_t>)
        return ColumnType::kInt32;
    else if constexpr (std::is_same_v<T, std::uint32_t>)
        return ColumnType::kUInt32;
    else if constexpr (std::is_same_v<T, std::int64_t>)
        return ColumnType::kInt64;
    else if constexpr (std::is_same_v<T, std::uint64_t>)
        return ColumnType::kUInt64;
    else if constexpr (std::is_same_v<T, std::uint8_t>)
        return ColumnType::kUInt8;
    else
        static_assert(!sizeof(T), "column types: double, float, (u)int32/64_t, uint8_t");
}
/// Size of one element [bytes].
std::size_t column_type_size(ColumnType type);
/// "float64", "float32", "int32", "uint32", "int64", "uint64", "uint8".
const char* column_type_name(ColumnType type);

/// Global agent ids: increasing, never reused, shared by all populations of a world.
/// Not thread-safe: populations commit one after another, in a fixed order.
class IdSource {
  public:
    std::uint64_t next() { return next_++; }
    /// The id the next call to next() returns.
    std::uint64_t peek() const { return next_; }
    /// For restart: continue numbering at next_id.
    void reset(std::uint64_t next_id) { next_ = next_id; }

  private:
    std::uint64_t next_ = 0;
};

class Population {
  public:
    /// dims: 2 or 3 (throws InputError otherwise). ids must outlive the population.
    Population(std::string name, int dims, IdSource& ids);
    ~Population();
    Population(Population&&) noexcept;
    Population& operator=(Population&&) = delete;
    Population(const Population&) = delete;
    Population& operator=(const Population&) = delete;

    /// Adds a column; existing and new rows start at `initial`. Names must be unique
    /// (std::invalid_argument otherwise). T: double, float, int32/64_t, uint32/64_t, uint8_t.
    template <class T>
    Column<T> add_column(std::string name, T initial = T{});

    template <class T>
    std::span<T> col(Column<T> c) {
        return {static_cast<T*>(typed_data(c.index, column_type_of<T>())), size_};
    }
    template <class T>
    std::span<const T> col(Column<T> c) const {
        return {static_cast<const T*>(typed_data(c.index, column_type_of<T>())), size_};
    }

    /// Exchanges the values of column c with `values`, which must hold size() of them
    /// (std::invalid_argument otherwise): publishes values computed out of place (e.g. new
    /// positions, computed while the old ones are still being read) without copying them.
    /// `values` receives the old ones.
    template <class T>
    void swap_values(Column<T> c, std::vector<T>& values) {
        swap_values_erased(c.index, column_type_of<T>(), &values, values.size());
    }
    void swap_x(std::vector<double>& values) { swap_values(kX, values); }
    void swap_y(std::vector<double>& values) { swap_values(kY, values); }

    std::size_t size() const { return size_; }
    const std::string& name() const { return name_; }
    int dims() const { return dims_; }

    std::span<const std::uint64_t> ids() const { return col(kId); }
    std::span<double> x() { return col(kX); }
    std::span<double> y() { return col(kY); }
    /// z coordinates [um]; all 0 in 2-D.
    std::span<double> z() { return col(kZ); }
    std::span<const double> x() const { return col(kX); }
    std::span<const double> y() const { return col(kY); }
    std::span<const double> z() const { return col(kZ); }
    Vec3 position(std::size_t i) const {
        const double* x = col(kX).data();
        const double* y = col(kY).data();
        return {x[i], y[i], dims_ == 3 ? col(kZ).data()[i] : 0.0};
    }
    /// Sets the position of row i [um]; z is stored as 0 in 2-D.
    void set_position(std::size_t i, const Vec3& p) {
        col(kX).data()[i] = p.x;
        col(kY).data()[i] = p.y;
        col(kZ).data()[i] = dims_ == 3 ? p.z : 0.0;
    }

    /// Serial append (initial placement): new id, position p [um], other columns at their
    /// initial value. Returns the new row. Not thread-safe.
    std::size_t add(const Vec3& pos);

    /// Marks row i to be removed at the next commit. Thread-safe from parallel loops (even
    /// for the same i); marking twice is harmless.
    void mark_death(std::size_t i);
    bool marked_dead(std::size_t i) const;
    /// Requests a child of row `parent` at pos [um]. Thread-safe from parallel loops. At
    /// commit the child copies every column of the parent (as it is then, even if the
    /// parent dies in the same commit), then gets pos and a new id. `tag` orders several
    /// children of one parent and lets the caller tell them apart.
    void request_birth(std::size_t parent, const Vec3& pos, std::uint32_t tag = 0);
    /// Number of births requested since the last commit (call outside parallel loops).
    std::size_t pending_births() const;

    /// Applies deaths and births deterministically: survivors keep their relative order,
    /// children are appended in (parent id, tag, position) order and get ids in that order.
    /// Returns the rows of the new children (ascending) so callers can adjust their columns;
    /// the span is valid until the next commit. Allocates nothing once its buffers have
    /// grown to the population's size.
    std::span<const std::size_t> commit();

    /// Reorders all rows in parallel: new row k holds old row perm[k]. perm must be a
    /// permutation of 0..size()-1 (std::invalid_argument otherwise); pending deaths move
    /// with their rows; throws std::logic_error while births are pending.
    void reorder(std::span<const std::uint32_t> perm);
    /// Sorts rows by grid cell for memory locality, stable within a cell. The grid must
    /// have been built on this population's positions (same size: std::invalid_argument
    /// otherwise); rebuild it afterwards. Throws std::logic_error while births are pending.
    void sort_by_cell(const NeighborGrid& grid);

    // Introspection for output and restart; columns 0-3 are id, x, y, z.
    std::size_t num_columns() const;
    const std::string& column_name(std::size_t i) const;
    ColumnType column_type(std::size_t i) const;
    const void* column_data(std::size_t i) const;
    /// Mutable raw access, for restart only (keep ids unique).
    void* column_data_mutable(std::size_t i);
    /// Index of the column with that name, if any.
    std::optional<std::size_t> find_column(std::string_view name) const;
    /// For restart: sets the row count, new rows at initial values and id 0, clears pending
    /// deaths and births. The caller then fills every column, ids included.
    void resize_rows(std::size_t n);
    /// Sum of the column element sizes [bytes] (plus 1 byte per row for the death flag,
    /// not counted here).
    std::size_t bytes_per_agent() const;

    static constexpr Column<std::uint64_t> kId{0};
    static constexpr Column<double> kX{1};
    static constexpr Column<double> kY{2};
    static constexpr Column<double> kZ{3};

  private:
    struct BirthRequest {
        std::uint64_t parent_id;
        std::uint32_t parent_row;
        std::uint32_t tag;
        Vec3 pos;
    };

    /// Where a column's elements are now and their type: kept next to columns_ (refresh()
    /// after anything that may reallocate them), so that col() is a check and a load.
    struct ColumnRef {
        void* data;
        ColumnType type;
    };
    void* typed_data(std::uint32_t index, ColumnType type) const {
        if (index >= refs_.size() || refs_[index].type != type) throw_bad_column(index, type);
        return refs_[index].data;
    }
    [[noreturn]] void throw_bad_column(std::uint32_t index, ColumnType type) const;
    void swap_values_erased(std::uint32_t index, ColumnType type, void* vector, std::size_t n);
    void refresh();
    std::uint32_t add_column_erased(std::string name, ColumnType type, const void* initial);
    /// New row k = old row src[k], in every column and the death flags (reorder,
    /// sort_by_cell). Throws std::logic_error while births are pending.
    void gather_all(std::span<const std::uint32_t> src);

    std::string name_;
    int dims_;
    IdSource* ids_;
    std::size_t size_ = 0;
    std::vector<std::unique_ptr<detail::ColumnStorage>> columns_;
    std::vector<ColumnRef> refs_;     // per column of columns_
    std::vector<std::uint8_t> dead_;  // one flag per row; written through atomic_ref
    tbb::enumerable_thread_specific<std::vector<BirthRequest>> births_;
    // commit()'s buffers, kept between commits so that a step does not allocate.
    std::vector<BirthRequest> all_births_;
    std::vector<std::uint32_t> src_, parents_;
    std::vector<std::size_t> children_;
};

template <class T>
Column<T> Population::add_column(std::string name, T initial) {
    return Column<T>{add_column_erased(std::move(name), column_type_of<T>(), &initial)};
}

}  // namespace hlhsim
