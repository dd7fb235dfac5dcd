import type { Checkpoint, Checkpoints } from '../../domain/ports/checkpoints.port.js';

export class CheckpointsInMemory implements Checkpoints {
  private readonly entries = new Map<string, Checkpoint>();

  async get(name: string, shard: number): Promise<Checkpoint | undefined> {
    return this.entries.get(`${name}/${shard}`);
  }

  async save(name: string, shard: number, checkpoint: Checkpoint): Promise<void> {
    this.entries.set(`${name}/${shard}`, checkpoint);
  }
}
