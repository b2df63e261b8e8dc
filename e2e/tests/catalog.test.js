import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser } from './helpers.js';

test('the anon key reads the model catalog through postgrest-js', async () => {
  const { data, error } = await client().from('model_catalog').select('id, name, size').order('registry_order');
  assert.equal(error, null, JSON.stringify(error));
  assert.equal(data.length, 11);
  assert.deepEqual(data[0], { id: 'phi4', name: 'Phi-4 Mini', size: '3.8B' });
});

test('training configs: own plus system presets, and nobody else\'s', async () => {
  const a = await newUser('e2e-cfg-a');
  const b = await newUser('e2e-cfg-b');
  const created = await a.supabase.from('training_configs')
    .insert({ user_id: a.user.id, name: 'A fast one', lora_rank: 8 }).select().single();
  assert.equal(created.error, null, JSON.stringify(created.error));

  const seenByA = await a.supabase.from('training_configs').select('name, is_system').order('name');
  assert.deepEqual(seenByA.data.map((r) => r.name), ['A fast one', 'Balanced', 'Fast', 'Quality']);

  const seenByB = await b.supabase.from('training_configs').select('id', { count: 'exact' });
  assert.equal(seenByB.count, 3);
  assert.ok(!seenByB.data.some((r) => r.id === created.data.id));

  const forged = await b.supabase.from('training_configs').insert({ user_id: a.user.id, name: 'forged' });
  assert.equal(forged.status, 403);
  assert.equal(forged.error.code, '42501');
});
