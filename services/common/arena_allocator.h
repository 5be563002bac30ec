#pragma once
// A gRPC callback-method allocator that puts a call's request and response, and every
// submessage, on one protobuf arena freed in one go when the call ends. For methods whose
// responses have many small parts (a score has 9 functions and 54 roles), that replaces
// some hundred mallocs and frees per call with a few pointer bumps. Example:
//   ArenaAllocator<GetScoreRequest, Score> allocator_;          // a member of the service
//   SetMessageAllocatorFor_GetScore(&allocator_);               // in its constructor

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

namespace socm {

template <typename Request, typename Response>
class ArenaAllocator : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  class Holder : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options(block_)) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options(char* block) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = sizeof(block_);
      return options;
    }
    // Enough for a whole score, so the arena usually needs no block of its own.
    char block_[16384];
    google::protobuf::Arena arena_;
  };
};

}  // namespace socm
