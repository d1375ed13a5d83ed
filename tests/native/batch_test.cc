#include "core/batch.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/memory.h"
#include "core/thread_pool.h"
#include "test_util.h"

namespace zk {
namespace {

// `count` items of varied size (0 .. max_size bytes) in one owned buffer.
BufferWithSegmentsCollection make_items(size_t count, size_t max_size, unsigned seed = 7) {
  std::vector<Segment> segments;
  std::vector<uint8_t> all;
  for (size_t i = 0; i < count; ++i) {
    auto item = test::sample_data((i * 7919) % (max_size + 1), seed + static_cast<unsigned>(i));
    segments.push_back({all.size(), item.size()});
    all.insert(all.end(), item.begin(), item.end());
  }
  auto buffer = Buffer::copy_of(all.data(), all.size()).value();
  return BufferWithSegmentsCollection({BufferWithSegments::owning(buffer, segments).value()});
}

std::vector<uint8_t> item(const BufferWithSegmentsCollection& c, size_t i) {
  return std::vector<uint8_t>(c.item_data(i), c.item_data(i) + c.item_size(i));
}

BufferWithSegmentsCollection compress_all(const BufferWithSegmentsCollection& input, int threads,
                                          CompressorOptions options = {}) {
  auto job = make_compress_job(options, input, threads);
  job.value()->run();
  auto out = job.value()->take_result();
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.value();
}

Result<BufferWithSegmentsCollection> decompress_all(const BufferWithSegmentsCollection& frames, int threads,
                                                    const std::vector<uint64_t>* sizes = nullptr) {
  auto job = make_decompress_job({}, frames, sizes ? sizes->data() : nullptr, sizes ? sizes->size() : 0, threads);
  if (!job.ok()) return job.status();
  job.value()->run();
  return job.value()->take_result();
}

}  // namespace

TEST(Batch, ResolvesThreads) {
  set_max_threads(2);
  EXPECT_EQ(resolve_batch_threads(0), 1u);
  EXPECT_EQ(resolve_batch_threads(1), 1u);
  EXPECT_EQ(resolve_batch_threads(2), 2u);
  EXPECT_EQ(resolve_batch_threads(64), 2u);
  EXPECT_EQ(resolve_batch_threads(-1), 2u);
}

TEST(Batch, RoundTripSameFramesForEveryThreadCount) {
  set_max_threads(4);
  auto input = make_items(600, 6000);
  auto reference = compress_all(input, 1);
  ASSERT_EQ(reference.length(), input.length());
  EXPECT_EQ(reference.buffer_count(), 1u);
  for (int threads : {0, 2, 3, 4, -1}) {
    auto frames = compress_all(input, threads);
    ASSERT_EQ(frames.length(), input.length());
    if (threads >= 2) {
      EXPECT_GT(frames.buffer_count(), 1u) << threads;
    }
    for (size_t i = 0; i < input.length(); ++i) ASSERT_EQ(item(frames, i), item(reference, i)) << i;
    auto back = decompress_all(frames, threads);
    ASSERT_TRUE(back.ok()) << back.status().message();
    for (size_t i = 0; i < input.length(); ++i) ASSERT_EQ(item(back.value(), i), item(input, i)) << i;
  }
}

TEST(Batch, StepModeMatchesRun) {
  auto input = make_items(300, 5000);
  auto reference = compress_all(input, 1);
  auto job = make_compress_job({}, input, 1).value();
  int steps = 1;
  while (!job->step(8192)) ++steps;
  EXPECT_GT(steps, 10);
  auto out = job->take_result().value();
  for (size_t i = 0; i < input.length(); ++i) ASSERT_EQ(item(out, i), item(reference, i));
}

TEST(Batch, HelpersWaitForInputStillBeingWritten) {
  set_max_threads(4);
  auto source = make_items(400, 6000);
  auto reference = compress_all(source, 1);
  // The same layout, in a buffer that is filled only after the job has started.
  std::vector<Segment> segments;
  for (size_t i = 0; i < source.length(); ++i) {
    segments.push_back({static_cast<uint64_t>(source.item_data(i) - source.item_data(0)), source.item_size(i)});
  }
  const size_t total = source.buffer(0).size();
  auto storage = Buffer::allocate(total).value();
  std::memset(storage.data(), 0xAB, total);
  BufferWithSegmentsCollection input({BufferWithSegments::owning(storage, segments).value()});
  auto job = make_compress_job({}, input, 4).value();
  job->hold_input();
  job->begin();
  for (size_t i = 0; i < source.length(); ++i) {
    std::memcpy(storage.data() + segments[i].offset, source.item_data(i), source.item_size(i));
    if (i % 50 == 49) job->release_input(i + 1);
  }
  job->release_input(SIZE_MAX);
  job->finish();
  auto out = job->take_result().value();
  for (size_t i = 0; i < source.length(); ++i) ASSERT_EQ(item(out, i), item(reference, i)) << i;
}

TEST(Batch, EmptyInputGivesEmptyCollection) {
  auto out = compress_all(BufferWithSegmentsCollection(), 2);
  EXPECT_EQ(out.length(), 0u);
  EXPECT_EQ(decompress_all(BufferWithSegmentsCollection(), 2).value().length(), 0u);
}

TEST(Batch, BadFrameNamesTheLowestFailingItemAndLeaksNothing) {
  set_max_threads(4);
  const size_t before = total_allocated_bytes();
  {
    auto input = make_items(400, 4000);
    auto good = compress_all(input, 1);
    std::vector<std::vector<uint8_t>> frames;
    for (size_t i = 0; i < good.length(); ++i) frames.push_back(item(good, i));
    for (size_t bad : {123, 350}) frames[bad].resize(frames[bad].size() - 3);  // truncated: the header is fine
    for (int threads : {1, 4}) {
      auto r = decompress_all(test::collection_of(frames), threads);
      ASSERT_FALSE(r.ok());
      EXPECT_STREQ(r.status().name(), "src_size_wrong");
      EXPECT_NE(r.status().message().find("item 123:"), std::string::npos) << r.status().message();
    }
    // A bad header is found while sizes are read.
    for (size_t i = 0; i < good.length(); ++i) frames[i] = item(good, i);
    frames[200] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (int threads : {1, 4}) {
      auto r = decompress_all(test::collection_of(frames), threads);
      EXPECT_STREQ(r.status().name(), "prefix_unknown");
      EXPECT_NE(r.status().message().find("item 200:"), std::string::npos) << r.status().message();
    }
  }
  EXPECT_EQ(total_allocated_bytes(), before);
}

TEST(Batch, WorkerContextsCarryNothingFromOneItemToTheNext) {
  // Each worker reuses one context for all its ranges: frames of different levels, windows,
  // checksums and sizes side by side must decode (and compress) as if each had its own; a
  // broken one among them is still the item named.
  set_max_threads(3);
  std::vector<std::vector<uint8_t>> docs, frames;
  for (size_t i = 0; i < 600; ++i) {
    docs.push_back(test::sample_data(i % 50 == 0 ? 200000 : (i * 331) % 3000, static_cast<unsigned>(i)));
    CompressorOptions options;
    options.level = 1 + static_cast<int>(i % 19);
    options.write_checksum = i % 2 == 0;
    if (i % 7 == 0) options.params = {{ZSTD_c_windowLog, 10 + static_cast<int>(i % 13)}};
    frames.push_back(test::compress(docs.back(), options));
  }
  auto bad = frames;
  bad[450].back() ^= 0x40;  // checksum (or last block) broken
  for (int threads : {1, 3}) {
    auto input = test::collection_of(frames);
    auto job = make_decompress_job({}, test::collection_of(bad), nullptr, 0, threads).value();
    job->run();
    EXPECT_NE(job->take_result().status().message().find("item 450:"), std::string::npos);
    auto back = decompress_all(input, threads);
    ASSERT_TRUE(back.ok()) << back.status().message();
    for (size_t i = 0; i < docs.size(); ++i) ASSERT_EQ(item(back.value(), i), docs[i]) << i;
    auto compressed = compress_all(test::collection_of(docs), threads);
    auto reference = compress_all(test::collection_of(docs), 1);
    for (size_t i = 0; i < docs.size(); ++i) ASSERT_EQ(item(compressed, i), item(reference, i)) << i;
  }
}

TEST(Batch, MissingContentSizeNeedsSizes) {
  CompressorOptions no_size;
  no_size.write_content_size = false;
  auto input = make_items(20, 3000);
  auto frames = compress_all(input, 1, no_size);
  auto r = decompress_all(frames, 1);
  EXPECT_STREQ(r.status().name(), "content_size_unknown");
  EXPECT_NE(r.status().message().find("item 0:"), std::string::npos) << r.status().message();

  std::vector<uint64_t> sizes;
  for (size_t i = 0; i < input.length(); ++i) sizes.push_back(input.item_size(i));
  auto back = decompress_all(frames, 2, &sizes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  for (size_t i = 0; i < input.length(); ++i) ASSERT_EQ(item(back.value(), i), item(input, i));

  sizes.pop_back();
  EXPECT_STREQ(decompress_all(frames, 1, &sizes).status().name(), "out_of_range");
  sizes.push_back(input.item_size(19) + 1);
  EXPECT_STREQ(decompress_all(frames, 1, &sizes).status().name(), "corruption_detected");
  sizes.back() = input.item_size(19) - 1;
  EXPECT_STREQ(decompress_all(frames, 1, &sizes).status().name(), "dst_size_too_small");
}

TEST(Batch, HugeClaimedSizesFailCleanly) {
  auto frames = compress_all(make_items(3, 100), 1);
  std::vector<uint64_t> sizes = {UINT64_MAX / 2, UINT64_MAX / 2, 5};
  auto r = decompress_all(frames, 1, &sizes);
  EXPECT_STREQ(r.status().name(), "memory_allocation");
}

TEST(Batch, JobOutlivesItsInputOwners) {
  BatchJobPtr job;
  {
    auto input = make_items(50, 2000);
    job = make_compress_job({}, input, 2).value();
  }
  job->run();
  EXPECT_EQ(job->take_result().value().length(), 50u);
}

TEST(Batch, RunDetachedJobs) {
  set_max_threads(2);
  auto input = make_items(200, 5000);
  std::mutex m;
  std::condition_variable cv;
  int done = 0;
  std::vector<BatchJobPtr> jobs;
  for (int i = 0; i < 4; ++i) jobs.push_back(make_compress_job({}, input, 2).value());
  for (auto& job : jobs) {
    job->run_detached([&m, &cv, &done] {
      std::lock_guard<std::mutex> lock(m);
      ++done;
      cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&] { return done == 4; });
  for (auto& job : jobs) EXPECT_EQ(job->take_result().value().length(), 200u);
}

TEST(Batch, AJobDroppedWhileItsHelpersWaitForInputIsDeletedSafely) {
  set_max_threads(2);
  auto input = make_items(200, 5000);
  const size_t base = total_allocated_bytes();
  auto job = make_compress_job({}, input, 2).value();
  job->hold_input();
  job->begin();  // helpers now wait for items that were never released
  job.reset();   // the deleter releases them and waits for the helpers: no hang
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(Batch, MagiclessItemsEndingInAFewStrayBytesAreErrorsNotOverreads) {
  // libzstd's one-shot multi-frame loop would read a 4-byte magic number past such an item's end
  // (ASan sees it here: each item is its own exact-size allocation).
  CompressorOptions magicless;
  magicless.params = {{ZSTD_c_format, ZSTD_f_zstd1_magicless}};
  auto frame = test::compress(test::sample_data(3000), magicless);
  DecompressorOptions options;
  options.format = ZSTD_f_zstd1_magicless;
  for (size_t stray : {1, 2, 3}) {
    std::vector<uint8_t> item = frame;
    item.insert(item.end(), stray, 0x11);
    for (const auto& bytes : {item, std::vector<uint8_t>(stray, 0x22)}) {
      auto items = test::collection_of({bytes});
      const uint64_t size = 3000;
      auto job = make_decompress_job(options, items, &size, 1, 1).value();
      job->run();
      EXPECT_FALSE(job->take_result().ok()) << stray;
      EXPECT_FALSE(decompress_content_dict_chain(options, items).ok()) << stray;
    }
  }
  // Whole magicless frames still decode, one or several per item.
  std::vector<uint8_t> two = frame;
  two.insert(two.end(), frame.begin(), frame.end());
  const uint64_t sizes[] = {3000, 6000};
  auto job = make_decompress_job(options, test::collection_of({frame, two}), sizes, 2, 1).value();
  job->run();
  auto out = job->take_result();
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out.value().item_size(1), 6000u);
}

}  // namespace zk
