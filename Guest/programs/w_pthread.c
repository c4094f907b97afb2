/* POSIX threads from mingw-w64's winpthreads (the posix flavour, linked statically): threads,
   a mutex, a condition variable and a join. */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static int total, arrived;

static void *worker(void *parameter) {
    int value = (int)(intptr_t)parameter;
    pthread_mutex_lock(&mutex);
    total += value;
    arrived++;
    pthread_cond_signal(&ready);
    pthread_mutex_unlock(&mutex);
    return (void *)(intptr_t)(value * 2);
}

int main(void) {
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)(i + 1));
    pthread_mutex_lock(&mutex);
    while (arrived < 4) pthread_cond_wait(&ready, &mutex);
    pthread_mutex_unlock(&mutex);
    intptr_t sum = 0;
    for (int i = 0; i < 4; i++) {
        void *result;
        pthread_join(threads[i], &result);
        sum += (intptr_t)result;
    }
    printf("total %d, joined results %d\n", total, (int)sum);
    return 0;
}
